package dev.blocks.kit.idempotency;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Idempotency records, one per (scope, key): whoever {@link #claim claims} a key first holds it IN_FLIGHT for a
 * short lease, does its side effect, then {@link #complete completes} it (DONE, kept for the record's TTL). A
 * claim of a key that is already there answers what the first caller's state says: DONE (a duplicate), IN_FLIGHT
 * with its lease running (a concurrent retry: the caller answers "in progress"), IN_FLIGHT with its lease run out
 * (the holder died between claim and completion: this caller takes over, with the first caller's value, so a
 * retry continues the same work under the same ids), or a different request fingerprint (the key was reused for
 * another request: the caller refuses it). One conditional put decides, and returns the existing record when it
 * loses (no second read); a takeover is one more conditional update.
 *
 * <p>Attributes: {@code id} (scope#key), {@code value}, {@code fingerprint} (absent when the caller gave none),
 * {@code state}, {@code leaseUntil} (epoch ms, while IN_FLIGHT), {@code expiresAt} (epoch s, the table's TTL).
 * A record from before states existed (no {@code state}) counts as DONE.
 */
@ApplicationScoped
public class IdempotencyStore {

    /** The outcome of a claim. */
    public sealed interface Claim {

        /** The record's value: the one this caller gave when it is new, the first caller's otherwise. */
        String value();

        /**
         * This caller holds the key until its lease ends: a new record, or ({@code takenOver}) one whose previous
         * holder's lease ran out without completing; {@code value} is then the previous holder's.
         */
        record Acquired(String value, boolean takenOver) implements Claim {}

        /** The same request was completed before. */
        record Done(String value) implements Claim {}

        /** Another caller holds the key until {@code leaseUntil}. */
        record InFlight(String value, Instant leaseUntil) implements Claim {}

        /** The key was claimed for a request with another fingerprint. */
        record Mismatch(String value) implements Claim {}
    }

    private static final String IN_FLIGHT = "IN_FLIGHT";
    private static final String DONE = "DONE";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    @Inject
    IdempotencyStore(DynamoDbClient dynamo, IdempotencyConfig config) {
        this(dynamo, config.table(), Clock.systemUTC());
    }

    IdempotencyStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Claims {@code key} in {@code scope} for a request with {@code fingerprint} (null: not compared), holding it
     * IN_FLIGHT for {@code lease}; the record is kept {@code ttl} (an expired record counts as absent).
     */
    public Claim claim(String scope, String key, String fingerprint, String value, Duration lease, Duration ttl) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", id(scope, key));
        item.put("value", AttributeValue.fromS(value));
        if (fingerprint != null) {
            item.put("fingerprint", AttributeValue.fromS(fingerprint));
        }
        item.put("state", AttributeValue.fromS(IN_FLIGHT));
        item.put("leaseUntil", millis(now.plus(lease)));
        item.put("expiresAt", seconds(now.plus(ttl)));
        Map<String, AttributeValue> old;
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    // An expired record that TTL has not yet deleted counts as absent.
                    .conditionExpression("attribute_not_exists(id) OR expiresAt < :now")
                    .expressionAttributeValues(Map.of(":now", seconds(now)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claim.Acquired(value, false);
        } catch (ConditionalCheckFailedException e) {
            old = e.hasItem() && !e.item().isEmpty() ? e.item() : read(scope, key);
        }
        if (old == null) {
            // Deleted between the put and the read (a release): the caller may simply claim again.
            return claim(scope, key, fingerprint, value, lease, ttl);
        }
        Claim existing = classify(old, fingerprint, now);
        if (!(existing instanceof Claim.Acquired)) {
            return existing;
        }
        // The holder's lease ran out: take the key over, unless another caller just did.
        AttributeValue previousLease = old.getOrDefault("leaseUntil", AttributeValue.fromN("0"));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", id(scope, key)))
                    .updateExpression("SET leaseUntil = :lease")
                    .conditionExpression("#s = :inflight AND leaseUntil = :previous")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(":lease", millis(now.plus(lease)),
                            ":inflight", AttributeValue.fromS(IN_FLIGHT), ":previous", previousLease)));
            return existing;
        } catch (ConditionalCheckFailedException e) {
            // Another caller took it over (or completed it) first.
            Map<String, AttributeValue> current = read(scope, key);
            if (current == null) {
                return claim(scope, key, fingerprint, value, lease, ttl);
            }
            Claim after = classify(current, fingerprint, now);
            return after instanceof Claim.Acquired ? new Claim.InFlight(after.value(), now.plus(lease)) : after;
        }
    }

    /** Marks a claimed key DONE: a later claim of it is a duplicate for {@code ttl} from now. */
    public void complete(String scope, String key, Duration ttl) {
        Instant now = clock.instant();
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", id(scope, key)))
                .updateExpression("SET #s = :done, expiresAt = :expires REMOVE leaseUntil")
                .expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":done", AttributeValue.fromS(DONE), ":expires", seconds(now.plus(ttl)))));
    }

    /**
     * Ends this caller's lease at once, keeping the value and fingerprint: the next claim takes the key over (and
     * continues under the same value) instead of waiting for the lease to run out. Nothing when it is DONE.
     */
    public void abandon(String scope, String key) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", id(scope, key)))
                    .updateExpression("SET leaseUntil = :zero")
                    .conditionExpression("#s = :inflight")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"),
                            ":inflight", AttributeValue.fromS(IN_FLIGHT))));
        } catch (ConditionalCheckFailedException e) {
            // Completed or gone meanwhile: nothing to give up.
        }
    }

    /** The value of an unexpired record, whatever its state. */
    public Optional<String> find(String scope, String key) {
        Map<String, AttributeValue> item = read(scope, key);
        if (item == null) {
            return Optional.empty();
        }
        AttributeValue expires = item.get("expiresAt");
        if (expires != null && Long.parseLong(expires.n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.ofNullable(item.get("value")).map(AttributeValue::s);
    }

    /** Replaces the value of a record this caller claimed (e.g. a result once known). */
    public void update(String scope, String key, String value) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("id", id(scope, key)))
                .updateExpression("SET #v = :v")
                .expressionAttributeNames(Map.of("#v", "value"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))));
    }

    /** Forgets a claim entirely: the next claim is a new one, with its own value. */
    public void release(String scope, String key) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("id", id(scope, key))));
    }

    private Claim classify(Map<String, AttributeValue> old, String fingerprint, Instant now) {
        String value = old.containsKey("value") ? old.get("value").s() : null;
        AttributeValue stored = old.get("fingerprint");
        if (fingerprint != null && stored != null && !fingerprint.equals(stored.s())) {
            return new Claim.Mismatch(value);
        }
        AttributeValue state = old.get("state");
        if (state == null || DONE.equals(state.s())) {
            return new Claim.Done(value);
        }
        long leaseUntil = old.containsKey("leaseUntil") ? Long.parseLong(old.get("leaseUntil").n()) : 0;
        if (leaseUntil > now.toEpochMilli()) {
            return new Claim.InFlight(value, Instant.ofEpochMilli(leaseUntil));
        }
        return new Claim.Acquired(value, true);
    }

    private Map<String, AttributeValue> read(String scope, String key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", id(scope, key)))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static AttributeValue id(String scope, String key) {
        return AttributeValue.fromS(scope + "#" + key);
    }

    private static AttributeValue millis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }

    private static AttributeValue seconds(Instant at) {
        return AttributeValue.fromN(Long.toString(at.getEpochSecond()));
    }
}
