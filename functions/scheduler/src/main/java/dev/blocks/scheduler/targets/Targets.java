package dev.blocks.scheduler.targets;

import dev.blocks.scheduler.domain.Target;

/** Hands a delivery to the sender of its target's kind. */
public final class Targets {

    private final QueueDelivery queues;
    private final TopicDelivery topics;
    private final HttpDelivery http;
    private final FunctionDelivery functions;

    public Targets(QueueDelivery queues, TopicDelivery topics, HttpDelivery http, FunctionDelivery functions) {
        this.queues = queues;
        this.topics = topics;
        this.http = http;
        this.functions = functions;
    }

    public void deliver(Target target, Delivery delivery) throws DeliveryFailed {
        if (target instanceof Target.Queue queue) {
            queues.deliver(queue, delivery);
        } else if (target instanceof Target.Topic topic) {
            topics.deliver(topic, delivery);
        } else if (target instanceof Target.Http endpoint) {
            http.deliver(endpoint, delivery);
        } else if (target instanceof Target.Function function) {
            functions.deliver(function, delivery);
        } else {
            throw new DeliveryFailed("unknown target " + target);
        }
    }
}
