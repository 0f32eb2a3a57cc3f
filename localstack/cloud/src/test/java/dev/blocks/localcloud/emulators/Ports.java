package dev.blocks.localcloud.emulators;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** What tests check about a port: that nothing listens on it any more. */
final class Ports {

    private Ports() {}

    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
