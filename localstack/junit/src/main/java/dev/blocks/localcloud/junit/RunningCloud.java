package dev.blocks.localcloud.junit;

import java.nio.file.Path;
import java.util.List;

/** A started local cloud: the server process, and in LocalStack mode the containers it was pointed at. */
final class RunningCloud implements AutoCloseable {

    private final CloudProcess process;
    private final LocalStackContainers containers;

    private RunningCloud(CloudProcess process, LocalStackContainers containers) {
        this.process = process;
        this.containers = containers;
    }

    static RunningCloud start(CloudMode mode, CloudRequest request) {
        if (mode != CloudMode.LOCALSTACK) {
            return new RunningCloud(CloudProcess.start(request, List.of()), null);
        }
        LocalStackContainers containers = LocalStackContainers.start();
        try {
            return new RunningCloud(CloudProcess.start(request, containers.cloudArguments()), containers);
        } catch (RuntimeException e) {
            containers.close();
            throw e;
        }
    }

    String endpointsJson() {
        return process.endpointsJson();
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        try {
            process.close();
        } finally {
            if (containers != null) {
                containers.close();
            }
        }
    }
}
