package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.Attempt;
import dev.blocks.webhooks.domain.Event;
import dev.blocks.webhooks.domain.Message;
import dev.blocks.webhooks.domain.MessageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Events and their messages in one table keyed by {@code id} ({@code evt_…} and {@code msg_…} items): an event
 * holds the exact body that is signed and sent, once; each message holds its endpoint, status and attempt log.
 * Failed messages carry {@code failedEndpoint}/{@code failedAt}, the keys of the sparse index {@code failed} that a
 * recover reads. Everything expires after the retention by TTL.
 */
public final class MessageTable {

    public static final String FAILED_INDEX = "failed";
    public static final String UNSENT_INDEX = "unsent";
    static final int UNSENT_SHARDS = 4;
    private static final int BATCH_WRITE = 25;
    private static final int MAX_EXCERPT = 512;

    /** A failed message found for a recover. */
    public record FailedMessage(String id, String eventId, String owner, String endpointId, int round) {}

    /**
     * An event as fan-out stored it: its endpoints (one message each) and those whose first attempt is not yet on
     * the delivery queue ({@code endpointIds} is empty when read from the {@code unsent} index, which does not
     * project it).
     */
    public record StoredEvent(String id, String owner, String type, List<String> endpointIds, List<String> unsent) {}

    /** A message with the body of its event, as the deliverer reads them together. */
    public record Delivery(Message message, String body) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public MessageTable(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    /**
     * Writes the event and one PENDING message per endpoint, 25 items per round trip: the messages first and the
     * event last, so that an event that exists has all its messages. The event lists its endpoints and, in
     * {@code unsent}, those whose first attempt is not yet on the delivery queue; while any is, the event is filed
     * under the sparse index {@code unsent} (shard, time) that the sweeper reads.
     */
    public void putEvent(Event event, String body, List<Message> messages) {
        long expiresAt = event.createdAt().plus(retention).getEpochSecond();
        List<WriteRequest> writes = new ArrayList<>();
        List<String> endpointIds = new ArrayList<>();
        for (Message m : messages) {
            endpointIds.add(m.endpointId());
            writes.add(put(Item.create().put("id", m.id()).put("kind", "message").put("owner", m.owner())
                    .put("endpointId", m.endpointId()).put("eventId", m.eventId()).put("eventType", m.eventType())
                    .put("status", m.status().name()).put("attempts", m.attempts()).put("round", m.round())
                    .put("createdAt", m.createdAt()).put("nextAttemptAt", m.nextAttemptAt())
                    .put("expiresAt", expiresAt)));
        }
        Item eventItem = Item.create().put("id", event.id()).put("kind", "event").put("owner", event.owner())
                .put("eventType", event.type()).put("body", body).put("createdAt", event.createdAt())
                .put("endpointIds", endpointIds).put("expiresAt", expiresAt);
        if (!endpointIds.isEmpty()) {
            eventItem.values().put("unsent", AttributeValue.fromSs(endpointIds));
            eventItem.put("unsentShard", shard(event.id())).put("unsentSince", event.createdAt());
        }
        writes.add(put(eventItem));
        for (int from = 0; from < writes.size(); from += BATCH_WRITE) {
            Map<String, List<WriteRequest>> pending = Map.of(table, writes.subList(from, Math.min(writes.size(), from + BATCH_WRITE)));
            for (int tries = 0; !pending.isEmpty(); tries++) {
                if (tries > 0) {
                    pause(tries);
                }
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                if (tries > 8 && !pending.isEmpty()) {
                    throw new IllegalStateException("DynamoDB kept items of event " + event.id() + " unprocessed");
                }
            }
        }
    }

    /** The event {@code eventId} as fan-out left it; empty when it was never (completely) written. */
    public Optional<StoredEvent> findEvent(String eventId) {
        Map<String, AttributeValue> values = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(eventId)))
                .projectionExpression("id, #k, #o, eventType, endpointIds, unsent")
                .expressionAttributeNames(Map.of("#k", "kind", "#o", "owner"))).item();
        if (values == null || values.isEmpty() || !"event".equals(Item.of(values).string("kind"))) {
            return Optional.empty();
        }
        return Optional.of(storedEvent(values));
    }

    /**
     * Records that the first attempts of {@code sent} endpoints' messages are on the delivery queue; when
     * {@code nothingLeft}, the event leaves the {@code unsent} index. One UpdateItem.
     */
    public void markSent(String eventId, List<String> sent, boolean nothingLeft) {
        if (nothingLeft) {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(eventId)))
                    .updateExpression("REMOVE unsent, unsentShard, unsentSince"));
        } else if (!sent.isEmpty()) {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(eventId)))
                    .updateExpression("DELETE unsent :sent")
                    .expressionAttributeValues(Map.of(":sent", AttributeValue.fromSs(sent))));
        }
    }

    /**
     * Events whose messages are not all on the delivery queue since before {@code cutoff} (their publisher died or
     * its send failed, and nobody retried): one Query per shard of the {@code unsent} index, up to {@code limit}.
     */
    public List<StoredEvent> unsentBefore(Instant cutoff, int limit) {
        List<StoredEvent> out = new ArrayList<>();
        for (int shard = 0; shard < UNSENT_SHARDS && out.size() < limit; shard++) {
            String partition = Integer.toString(shard);
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(UNSENT_INDEX)
                        .keyConditionExpression("unsentShard = :s AND unsentSince < :cutoff")
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(partition),
                                ":cutoff", AttributeValue.fromS(cutoff.toString())))
                        .limit(Math.min(limit, 500))
                        .exclusiveStartKey(from));
                page.items().forEach(i -> out.add(storedEvent(i)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && out.size() < limit);
        }
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    private static StoredEvent storedEvent(Map<String, AttributeValue> values) {
        Item item = Item.of(values);
        AttributeValue unsent = values.get("unsent");
        return new StoredEvent(item.string("id"), item.string("owner"), item.string("eventType"),
                item.strings("endpointIds"), unsent != null && unsent.hasSs() ? List.copyOf(unsent.ss()) : List.of());
    }

    /** Which shard of the {@code unsent} index an event is filed under: spread, so that no partition is hot. */
    static String shard(String eventId) {
        return Integer.toString(Math.floorMod(eventId.hashCode(), UNSENT_SHARDS));
    }

    /** A message with its event's body, read together in one consistent round trip. */
    public Optional<Delivery> findForDelivery(String messageId, String eventId) {
        Map<String, KeysAndAttributes> keys = Map.of(table, KeysAndAttributes.builder().consistentRead(true)
                .keys(List.of(Map.of("id", AttributeValue.fromS(messageId)), Map.of("id", AttributeValue.fromS(eventId))))
                .build());
        Map<String, Map<String, AttributeValue>> byId = new HashMap<>();
        for (int tries = 0; !keys.isEmpty(); tries++) {
            if (tries > 0) {
                pause(tries);
            }
            Map<String, KeysAndAttributes> request = keys;
            var response = dynamo.batchGetItem(b -> b.requestItems(request));
            response.responses().getOrDefault(table, List.of()).forEach(i -> byId.put(i.get("id").s(), i));
            keys = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            if (tries > 8 && !keys.isEmpty()) {
                throw new IllegalStateException("DynamoDB kept keys of message " + messageId + " unprocessed");
            }
        }
        Map<String, AttributeValue> message = byId.get(messageId);
        Map<String, AttributeValue> event = byId.get(eventId);
        if (message == null || event == null) {
            return Optional.empty();
        }
        return Optional.of(new Delivery(read(message), Item.of(event).string("body")));
    }

    public Optional<Message> find(String messageId) {
        Map<String, AttributeValue> values = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(messageId)))).item();
        if (values == null || values.isEmpty() || !"message".equals(Item.of(values).string("kind"))) {
            return Optional.empty();
        }
        return Optional.of(read(values));
    }

    /**
     * Records attempt {@code attempt.number()} of {@code round} and the status it led to, in one conditional
     * update: it only applies while the message is PENDING in that round with the previous attempt recorded, so
     * a duplicate queue delivery of the same attempt changes nothing. Returns whether it applied.
     * {@code nextAttemptAt} is set when another attempt follows; a FAILED status also files the message under
     * the {@code failed} index of its endpoint.
     */
    public boolean recordAttempt(Message message, Attempt attempt, MessageStatus status, String reason,
                                 Instant nextAttemptAt) {
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put("round", AttributeValue.fromN(Integer.toString(attempt.round())));
        entry.put("number", AttributeValue.fromN(Integer.toString(attempt.number())));
        entry.put("at", AttributeValue.fromS(attempt.at().toString()));
        entry.put("status", AttributeValue.fromN(Integer.toString(attempt.status())));
        entry.put("latencyMillis", AttributeValue.fromN(Long.toString(attempt.latencyMillis())));
        if (attempt.excerpt() != null && !attempt.excerpt().isEmpty()) {
            entry.put("excerpt", AttributeValue.fromS(cut(attempt.excerpt())));
        }
        if (attempt.error() != null) {
            entry.put("error", AttributeValue.fromS(cut(attempt.error())));
        }
        List<String> sets = new ArrayList<>(List.of("attempts = :n", "lastAttemptAt = :at", "#st = :st",
                "#lg = list_append(if_not_exists(#lg, :none), :entry)"));
        List<String> removes = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":n", AttributeValue.fromN(Integer.toString(attempt.number())));
        values.put(":prev", AttributeValue.fromN(Integer.toString(attempt.number() - 1)));
        values.put(":round", AttributeValue.fromN(Integer.toString(attempt.round())));
        values.put(":at", AttributeValue.fromS(attempt.at().toString()));
        values.put(":st", AttributeValue.fromS(status.name()));
        values.put(":pending", AttributeValue.fromS(MessageStatus.PENDING.name()));
        values.put(":none", AttributeValue.fromL(List.of()));
        values.put(":entry", AttributeValue.fromL(List.of(AttributeValue.fromM(entry))));
        if (nextAttemptAt != null) {
            sets.add("nextAttemptAt = :next");
            values.put(":next", AttributeValue.fromS(nextAttemptAt.toString()));
        } else {
            removes.add("nextAttemptAt");
        }
        addOutcome(message.endpointId(), status, reason, attempt.at(), sets, values);
        String expression = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(message.id())))
                    .updateExpression(expression)
                    .conditionExpression("#st = :pending AND attempts = :prev AND #rd = :round")
                    .expressionAttributeNames(Map.of("#st", "status", "#lg", "log", "#rd", "round"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Gives up on a PENDING message without an attempt (its endpoint was disabled or deleted). */
    public boolean fail(Message message, String reason, Instant now) {
        List<String> sets = new ArrayList<>(List.of("#st = :st"));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":st", AttributeValue.fromS(MessageStatus.FAILED.name()));
        values.put(":pending", AttributeValue.fromS(MessageStatus.PENDING.name()));
        values.put(":round", AttributeValue.fromN(Integer.toString(message.round())));
        addOutcome(message.endpointId(), MessageStatus.FAILED, reason, now, sets, values);
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(message.id())))
                    .updateExpression("SET " + String.join(", ", sets) + " REMOVE nextAttemptAt")
                    .conditionExpression("#st = :pending AND #rd = :round")
                    .expressionAttributeNames(Map.of("#st", "status", "#rd", "round"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Failed messages of {@code endpointId} that failed at or after {@code since}, oldest first. */
    public List<FailedMessage> failedSince(String endpointId, Instant since, int limit) {
        List<FailedMessage> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(FAILED_INDEX)
                    .keyConditionExpression("failedEndpoint = :e AND failedAt >= :since")
                    .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(endpointId),
                            ":since", AttributeValue.fromS(since.toString())))
                    .limit(Math.min(limit, 500))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> values : page.items()) {
                Item item = Item.of(values);
                out.add(new FailedMessage(item.string("id"), item.string("eventId"), item.string("owner"),
                        item.string("failedEndpoint"), (int) item.number("round", 1)));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && out.size() < limit);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** Puts a FAILED message back to PENDING in a new round; returns that round, empty when it was not FAILED. */
    public Optional<Integer> reopen(String messageId, Instant now) {
        try {
            Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", AttributeValue.fromS(messageId)))
                    .updateExpression("SET #st = :pending, attempts = :zero, #rd = #rd + :one, nextAttemptAt = :now "
                            + "REMOVE failedEndpoint, failedAt, reason")
                    .conditionExpression("#st = :failed")
                    .expressionAttributeNames(Map.of("#st", "status", "#rd", "round"))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(MessageStatus.PENDING.name()),
                            ":failed", AttributeValue.fromS(MessageStatus.FAILED.name()),
                            ":zero", AttributeValue.fromN("0"), ":one", AttributeValue.fromN("1"),
                            ":now", AttributeValue.fromS(now.toString())))
                    .returnValues("UPDATED_NEW")).attributes();
            return Optional.of((int) Item.of(after).number("round", 1));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private static void addOutcome(String endpointId, MessageStatus status, String reason, Instant at,
                                   List<String> sets, Map<String, AttributeValue> values) {
        if (status == MessageStatus.FAILED) {
            sets.add("failedEndpoint = :fe");
            sets.add("failedAt = :fa");
            values.put(":fe", AttributeValue.fromS(endpointId));
            values.put(":fa", AttributeValue.fromS(at.toString()));
        }
        if (reason != null) {
            sets.add("reason = :reason");
            values.put(":reason", AttributeValue.fromS(cut(reason)));
        }
    }

    private Message read(Map<String, AttributeValue> values) {
        Item item = Item.of(values);
        List<Attempt> log = new ArrayList<>();
        for (Map<String, AttributeValue> entry : item.maps("log")) {
            Item e = Item.of(entry);
            log.add(new Attempt((int) e.number("round", 1), (int) e.number("number", 0), e.instant("at"),
                    (int) e.number("status", 0), e.number("latencyMillis", 0), e.string("excerpt"), e.string("error")));
        }
        return new Message(item.string("id"), item.string("owner"), item.string("endpointId"), item.string("eventId"),
                item.string("eventType"), MessageStatus.valueOf(item.string("status")), (int) item.number("attempts", 0),
                (int) item.number("round", 1), item.string("reason"), item.instant("createdAt"),
                item.instant("lastAttemptAt"), item.instant("nextAttemptAt"), log);
    }

    private static WriteRequest put(Item item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item.values()).build()).build();
    }

    private static String cut(String text) {
        return text.length() > MAX_EXCERPT ? text.substring(0, MAX_EXCERPT) : text;
    }

    private static void pause(int tries) {
        try {
            Thread.sleep(Math.min(1000, 20L << Math.min(tries, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while DynamoDB throttled", e);
        }
    }
}
