package dev.blocks.localcloud.events;

/** The account the local cloud's ARNs name; ElasticMQ is started with the same id. */
final class LocalAccount {

    static final String ID = "000000000000";

    private LocalAccount() {}
}
