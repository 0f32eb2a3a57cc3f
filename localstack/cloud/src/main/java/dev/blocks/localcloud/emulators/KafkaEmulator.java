package dev.blocks.localcloud.emulators;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one server) in this JVM, with the internal
 * topics at replication factor 1 so that consumer groups and transactions work on one node, and topics created on
 * first use. The log directory is kept across {@link #stop()} and {@link #start()}, so a restart is a broker
 * restart: topics, records and committed offsets are still there. {@link #close()} deletes it.
 */
public final class KafkaEmulator extends ServerEmulator {

    private static final int NODE_ID = 1;

    private TemporaryDirectory logDirectory;
    private int controllerPort;
    private KafkaRaftServer server;

    public KafkaEmulator() {
        super("kafka");
    }

    @Override
    void launch(int port) throws Exception {
        if (controllerPort == 0) {
            controllerPort = freePort();
        }
        Properties config = brokerConfig(port);
        if (logDirectory == null) {
            logDirectory = TemporaryDirectory.create("local-cloud-kafka");
            config.setProperty("log.dirs", logDirectory.path().toString());
            format(config);
        }
        config.setProperty("log.dirs", logDirectory.path().toString());
        server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        server.startup();
    }

    @Override
    void halt() {
        if (server != null) {
            KafkaRaftServer stopping = server;
            server = null;
            stopping.shutdown();
            stopping.awaitShutdown();
        }
    }

    @Override
    boolean healthy() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoint(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        }
    }

    @Override
    public String endpoint() {
        return "127.0.0.1:" + port();
    }

    /** Stops the broker and deletes its topics. */
    @Override
    public synchronized void close() {
        stop();
        if (logDirectory != null) {
            logDirectory.delete();
            logDirectory = null;
        }
    }

    private Properties brokerConfig(int port) {
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", Integer.toString(NODE_ID));
        config.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        config.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        // MSK's default: a topic exists because the stack declared it (the plan's kafka_topics), never because a
        // producer or consumer named it. A typo in a topic name fails here as it would on AWS.
        config.setProperty("auto.create.topics.enable", "false");
        config.setProperty("num.partitions", "1");
        config.setProperty("default.replication.factor", "1");
        config.setProperty("min.insync.replicas", "1");
        // On one node the internal topics must not ask for three replicas, or groups never get a coordinator.
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        // Few partitions for the internal topics: creating fifty of them costs seconds and buys nothing locally.
        config.setProperty("offsets.topic.num.partitions", "1");
        config.setProperty("transaction.state.log.num.partitions", "1");
        config.setProperty("share.coordinator.state.topic.num.partitions", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        config.setProperty("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        return config;
    }

    private void format(Properties config) throws IOException {
        Path file = logDirectory.path().resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            config.store(out, "local cloud broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = StorageTool.execute(new String[] {
            "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", file.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IOException("Formatting the Kafka log directory failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
