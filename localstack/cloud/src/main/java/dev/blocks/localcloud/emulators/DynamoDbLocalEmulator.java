package dev.blocks.localcloud.emulators;

import java.net.URI;
import java.nio.file.Path;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local in this JVM. Tables live in one SQLite file ({@code -sharedDb}: every access key and region sees
 * the same tables) in a temporary directory (in memory where /dev/shm exists), so they survive {@link #stop()} and {@link #start()}; {@link #close()}
 * deletes them. DynamoDB Local has no bind-address option: it listens on all interfaces.
 */
public final class DynamoDbLocalEmulator extends ServerEmulator {

    private TemporaryDirectory dataDirectory;
    private DynamoDBProxyServer server;

    public DynamoDbLocalEmulator() {
        super("dynamodb");
    }

    @Override
    void launch(int port) throws Exception {
        if (dataDirectory == null) {
            dataDirectory = TemporaryDirectory.createInMemory("local-cloud-dynamodb");
        }
        server = ServerRunner.createServerFromCommandLineArgs(new String[] {
            "-dbPath", dataDirectory.path().toString(), "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)});
        server.start();
    }

    @Override
    void halt() throws Exception {
        if (server != null) {
            DynamoDBProxyServer stopping = server;
            server = null;
            stopping.stop();
        }
    }

    @Override
    boolean healthy() throws Exception {
        return answersHttp(URI.create(httpEndpoint() + "/"));
    }

    @Override
    public String endpoint() {
        return httpEndpoint();
    }

    /** Where the tables are kept while this emulator lives; null before the first start and after close. */
    public synchronized Path dataDirectory() {
        return dataDirectory == null ? null : dataDirectory.path();
    }

    /** Stops the server and deletes its tables. */
    @Override
    public synchronized void close() {
        stop();
        if (dataDirectory != null) {
            dataDirectory.delete();
            dataDirectory = null;
        }
    }
}
