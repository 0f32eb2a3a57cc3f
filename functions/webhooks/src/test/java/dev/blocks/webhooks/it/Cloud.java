package dev.blocks.webhooks.it;

import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one local cloud every integration test of the module shares: the webhooks' own Terraform stack. The
 * functions resolve host names from a hosts file of the tests (the machine has no DNS to speak of, and the tests
 * need names that resolve to loopback): {@code receiver.blocks.test} is the test receiver, the one host the
 * stack allows to be private; {@code loopback.blocks.test} is any other name pointing at loopback, and
 * {@link #map} changes what a name resolves to while the cloud runs (lookups are not cached).
 */
final class Cloud {

    static final String PREFIX = "wh";
    static final String RECEIVER_HOST = "receiver.blocks.test";
    static final String INBOUND_QUEUE = PREFIX + "-webhooks-inbound";
    static final String INBOUND_TOPIC = PREFIX + "-webhooks-inbound";
    static final String DEAD_LETTER_QUEUE = PREFIX + "-webhooks-delivery-dlq";

    private static final Path HOSTS = Path.of("target", "webhooks-it-hosts").toAbsolutePath();
    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put(RECEIVER_HOST, "127.0.0.1");
        NAMES.put("loopback.blocks.test", "127.0.0.1");
        NAMES.put("localhost", "127.0.0.1");
        try {
            NAMES.put(InetAddress.getLocalHost().getHostName(), "127.0.0.1");
        } catch (IOException e) {
            // No name of its own: nothing in the functions will ask for it either.
        }
        write();
    }

    private static final LocalCloudExtension EXTENSION = LocalCloudExtension.terraform("functions/webhooks/terraform")
            .var("java_tool_options", "-Djdk.net.hosts.file=" + HOSTS + " -Dsun.net.inetaddr.ttl=0"
                    + " -Dsun.net.inetaddr.negative.ttl=0");

    private Cloud() {}

    static LocalCloudExtension extension() {
        return EXTENSION;
    }

    /** Makes {@code host} resolve to {@code address} in the functions from now on. */
    static synchronized void map(String host, String address) {
        NAMES.put(host, address);
        write();
    }

    private static synchronized void write() {
        StringBuilder text = new StringBuilder();
        NAMES.forEach((name, address) -> text.append(address).append(' ').append(name).append('\n'));
        try {
            Files.createDirectories(HOSTS.getParent());
            Path temporary = Files.createTempFile(HOSTS.getParent(), "hosts", ".tmp");
            Files.writeString(temporary, text);
            // Readers see the old file or the new one, never half of one.
            Files.move(temporary, HOSTS, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
