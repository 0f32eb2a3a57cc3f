package dev.blocks.webhooks.handlers;

import dev.blocks.kit.net.GuardedHttpClient;
import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.kit.net.PinnedAddress;
import dev.blocks.webhooks.delivery.EndpointBreakers;
import dev.blocks.webhooks.domain.DeliveryPolicy;
import dev.blocks.webhooks.domain.DisableRule;
import dev.blocks.webhooks.domain.RetrySchedule;
import dev.blocks.webhooks.domain.SourceRules;
import dev.blocks.webhooks.store.CachedEndpoints;
import dev.blocks.webhooks.store.CachedSources;
import dev.blocks.webhooks.store.DeliveryQueue;
import dev.blocks.webhooks.store.EndpointTable;
import dev.blocks.webhooks.store.InboundPublisher;
import dev.blocks.webhooks.store.MessageTable;
import dev.blocks.kit.sqs.QueueUrls;
import dev.blocks.webhooks.store.SecretCipher;
import dev.blocks.webhooks.store.SourceTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the plain store, delivery and domain objects from configuration; nothing else in the module knows CDI.
 * Singletons, not application-scoped: the products are records and final classes, which cannot be proxied.
 */
@ApplicationScoped
class Wiring {

    // Application-scoped (a proxy over the interface), so an artifact role that never touches secrets, such as
    // api-keys, starts without the cipher's configuration.
    @Produces
    @ApplicationScoped
    SecretCipher secretCipher(WebhooksConfig config) {
        WebhooksConfig.Secrets secrets = config.secrets();
        return SecretCipher.sealedWith(dev.blocks.kit.secrets.SecretCipher.configured(
                secrets.cipher(), secrets.kmsKeyId(), secrets.localKey(), "blocks.webhooks.secrets"));
    }

    @Produces
    @Singleton
    SourceTable sourceTable(DynamoDbClient dynamo, WebhooksConfig config, SecretCipher cipher) {
        return new SourceTable(dynamo, config.sourcesTable(), cipher);
    }

    @Produces
    @Singleton
    CachedSources cachedSources(SourceTable table, WebhooksConfig config) {
        return new CachedSources(table, config.inbound().sourceCacheTtl(), System::nanoTime);
    }

    @Produces
    @Singleton
    SourceRules sourceRules(WebhooksConfig config) {
        WebhooksConfig.Inbound inbound = config.inbound();
        return new SourceRules(names(inbound.queues()), names(inbound.topics()), inbound.defaultTolerance(),
                inbound.maxTolerance());
    }

    @Produces
    @Singleton
    EndpointTable endpointTable(DynamoDbClient dynamo, WebhooksConfig config, SecretCipher cipher) {
        // Endpoints' secrets are decrypted for signing only; the deliverer re-reads endpoints every few seconds.
        return new EndpointTable(dynamo, config.endpointsTable(),
                SecretCipher.cached(cipher, config.delivery().secretCacheTtl(), System::nanoTime));
    }

    @Produces
    @Singleton
    CachedEndpoints cachedEndpoints(EndpointTable table, WebhooksConfig config) {
        return new CachedEndpoints(table, config.delivery().endpointCacheTtl(), System::nanoTime);
    }

    @Produces
    @Singleton
    MessageTable messageTable(DynamoDbClient dynamo, WebhooksConfig config) {
        return new MessageTable(dynamo, config.messagesTable(), config.retention());
    }

    @Produces
    @Singleton
    Fanout fanout(EndpointTable endpoints, MessageTable messages, DeliveryQueue queue, WebhooksConfig config) {
        return new Fanout(endpoints, messages, queue, config.endpoints().maxPerOwner());
    }

    @Produces
    @Singleton
    QueueUrls queueUrls(SqsClient sqs) {
        return new QueueUrls(sqs);
    }

    @Produces
    @Singleton
    DeliveryQueue deliveryQueue(SqsClient sqs, QueueUrls urls, WebhooksConfig config) {
        return new DeliveryQueue(sqs, urls, config.delivery().queue(), config.delivery().deadLetterQueue());
    }

    @Produces
    @Singleton
    InboundPublisher inboundPublisher(SqsClient sqs, QueueUrls urls, WebhooksConfig config) {
        return new InboundPublisher(sqs, urls, config.kafka().bootstrapServers().orElse(null),
                config.inbound().publishTimeout());
    }

    void closePublisher(@Disposes InboundPublisher publisher) {
        publisher.close();
    }

    @Produces
    @Singleton
    OutboundGuard outboundGuard(WebhooksConfig config) {
        return new OutboundGuard(names(config.delivery().allowedPrivateHosts()), PinnedAddress.HostResolver.SYSTEM);
    }

    @Produces
    @Singleton
    GuardedHttpClient guardedHttpClient(OutboundGuard guard, WebhooksConfig config) {
        WebhooksConfig.Delivery delivery = config.delivery();
        int connections = Math.max(16, delivery.concurrency() * 2);
        return new GuardedHttpClient(guard, delivery.timeout(), connections, Math.max(2, connections / 4), "blocks-webhooks/1");
    }

    void closeHttpClient(@Disposes GuardedHttpClient client) throws IOException {
        client.close();
    }

    @Produces
    @Singleton
    DeliveryPolicy deliveryPolicy(WebhooksConfig config) {
        WebhooksConfig.Delivery delivery = config.delivery();
        return new DeliveryPolicy(new RetrySchedule(delivery.schedule(), delivery.jitter()), delivery.maxRetryAfter());
    }

    @Produces
    @Singleton
    EndpointBreakers endpointBreakers(WebhooksConfig config) {
        return new EndpointBreakers(config.delivery().breakerThreshold(), config.delivery().breakerOpen(), System::nanoTime);
    }

    @Produces
    @Singleton
    DisableRule disableRule(WebhooksConfig config) {
        return new DisableRule(config.delivery().disableAfter());
    }

    private static Set<String> names(java.util.Optional<List<String>> values) {
        Set<String> out = new LinkedHashSet<>();
        values.ifPresent(list -> list.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add));
        return out;
    }
}
