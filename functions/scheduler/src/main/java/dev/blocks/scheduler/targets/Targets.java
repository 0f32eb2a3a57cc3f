package dev.blocks.scheduler.targets;

import dev.blocks.scheduler.domain.Target;
import dev.blocks.scheduler.domain.TargetRules;
import java.util.Optional;

/**
 * Hands a delivery to the sender of its target's kind, once the target has passed the rules again: the
 * deployment's allow-lists may have been tightened since the job was created.
 */
public final class Targets {

    private final TargetRules rules;
    private final QueueDelivery queues;
    private final TopicDelivery topics;
    private final HttpDelivery http;
    private final FunctionDelivery functions;

    public Targets(TargetRules rules, QueueDelivery queues, TopicDelivery topics, HttpDelivery http, FunctionDelivery functions) {
        this.rules = rules;
        this.queues = queues;
        this.topics = topics;
        this.http = http;
        this.functions = functions;
    }

    public void deliver(Target target, Delivery delivery) throws DeliveryFailed {
        Optional<String> refusal = rules.deliveryRefusal(target);
        if (refusal.isPresent()) {
            throw new DeliveryFailed("refused: " + refusal.get());
        }
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
