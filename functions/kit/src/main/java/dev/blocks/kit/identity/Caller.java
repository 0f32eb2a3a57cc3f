package dev.blocks.kit.identity;

/**
 * Who made a request. {@code owner} scopes data (links, uploads, jobs …); {@code credential} names how the
 * caller proved it: the id of an API key, or {@code jwt:<issuer>} for authorizer claims.
 *
 * <p>Owners live in two namespaces that cannot meet: an authorizer's user is {@code jwt:<issuer>#<sub>}, and an
 * API key's owner never starts with {@code jwt:} (the api-keys admin refuses such owners, and the
 * {@link Authenticator} refuses a stored key that has one). So no token subject can equal an API-key owner, and
 * two issuers' equal subjects stay two owners.
 */
public record Caller(String owner, String credential) {

    /** The prefix of every owner (and credential) that comes from JWT claims. */
    public static final String JWT_PREFIX = "jwt:";

    /** The caller an authorizer's verified token names. */
    public static Caller ofJwt(String issuer, String subject) {
        return new Caller(JWT_PREFIX + issuer + "#" + subject, JWT_PREFIX + issuer);
    }

    /** Whether {@code owner} is in the JWT namespace, where no API key may have its owner. */
    public static boolean isJwtOwner(String owner) {
        return owner != null && owner.startsWith(JWT_PREFIX);
    }
}
