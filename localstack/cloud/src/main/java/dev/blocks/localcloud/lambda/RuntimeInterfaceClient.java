package dev.blocks.localcloud.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * AWS's Runtime Interface Client, the program Lambda's managed Java runtime runs a JVM function with. Its jars
 * (client, aws-lambda-java-core, aws-lambda-java-serialization) are on the local cloud's own classpath; a
 * function JVM gets them after its own classpath, as the managed runtime provides them from outside the zip.
 *
 * <p>Left to itself the client unpacks its native library to one fixed file, /tmp/.libaws-lambda-jni.so (each
 * Lambda sandbox has a /tmp of its own): JVMs starting side by side here overwrite it under each other and crash
 * (SIGBUS). So the library is unpacked once per local cloud and every function JVM is pointed at that copy.
 */
final class RuntimeInterfaceClient {

    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String JNI_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static final List<String> CLASSES_OF_EACH_JAR = List.of(
            MAIN_CLASS,
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer");

    private final List<Path> classpath;
    private final Path nativeLibrary;

    private RuntimeInterfaceClient(List<Path> classpath, Path nativeLibrary) {
        this.classpath = classpath;
        this.nativeLibrary = nativeLibrary;
    }

    /** Finds the client's jars and unpacks its native library for this platform into {@code dir}. */
    static RuntimeInterfaceClient install(Path dir) throws IOException {
        Set<Path> locations = new LinkedHashSet<>();
        for (String className : CLASSES_OF_EACH_JAR) {
            locations.add(locationOf(className));
        }
        String library = "jni/libaws-lambda-jni." + platform() + ".so";
        Path target = dir.resolve("libaws-lambda-jni.so");
        Files.createDirectories(dir);
        try (InputStream in = loadClass(MAIN_CLASS).getClassLoader().getResourceAsStream(library)) {
            if (in == null) {
                throw new IOException("the Runtime Interface Client has no native library " + library);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return new RuntimeInterfaceClient(List.copyOf(locations), target);
    }

    /** The JVM command that runs {@code handler} from {@code taskRoot} (and its {@code lib/} jars). */
    List<String> javaCommand(Path taskRoot, String handler, int memoryMb) {
        List<String> path = new ArrayList<>();
        path.add(taskRoot.toString());
        path.add(taskRoot.resolve("lib") + File.separator + "*");
        classpath.forEach(jar -> path.add(jar.toString()));
        // Lambda gives the heap most of the function's memory.
        int heapMb = Math.max(64, memoryMb * 85 / 100);
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // What Lambda's managed Java runtime does to start fast in a small sandbox.
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC",
                "-Xmx" + heapMb + "m",
                "-D" + JNI_PROPERTY + "=" + nativeLibrary,
                "-cp", String.join(File.pathSeparator, path),
                MAIN_CLASS,
                handler);
    }

    private static String platform() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
        boolean musl;
        try (var entries = Files.list(Path.of("/lib"))) {
            musl = entries.anyMatch(entry -> entry.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            musl = false;
        }
        return (musl ? "linux_musl-" : "linux-") + cpu;
    }

    private static Path locationOf(String className) throws IOException {
        CodeSource source = loadClass(className).getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("cannot tell which jar holds " + className);
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static Class<?> loadClass(String className) {
        try {
            return Class.forName(className, false, RuntimeInterfaceClient.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not on the local cloud's classpath: "
                    + "com.amazonaws:aws-lambda-java-runtime-interface-client must be a dependency", e);
        }
    }
}
