package dev.blocks.localcloud.emulators;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests check about a process: that it is gone. */
final class Processes {

    private Processes() {}

    /**
     * False once the process has exited. A killed child whose parent died with it stays a zombie until init reaps
     * it; Java counts a zombie as alive, but it runs nothing and holds no port, so it counts as gone here.
     */
    static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isDirectory(Path.of("/proc", "self"))) {
            try {
                String line = Files.readString(stat);
                char state = line.charAt(line.lastIndexOf(')') + 2);
                return state != 'Z' && state != 'X';
            } catch (IOException e) {
                return false;
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
