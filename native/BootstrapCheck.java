import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.ZipFile;

/**
 * Checks that a Lambda function.zip holds what the provided.al2023 runtime starts: an entry {@code bootstrap} with
 * the executable bit, and says what it is (ELF machine, or a script). java.util.zip hides Unix permissions, so the
 * mode is read from the zip's central directory.
 *
 * <p>Usage: {@code java native/BootstrapCheck.java target/function.zip}; exit 0 with a one-line description, else 1.
 */
public class BootstrapCheck {

    public static void main(String[] args) throws IOException {
        Path zip = Path.of(args[0]);
        Integer mode = unixMode(zip, "bootstrap");
        if (mode == null) {
            fail(zip + " has no bootstrap entry");
        }
        if ((mode & 0111) == 0) {
            fail(zip + ": bootstrap is not executable (mode " + Integer.toOctalString(mode & 0777) + ")");
        }
        byte[] head;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            head = file.getInputStream(file.getEntry("bootstrap")).readNBytes(20);
        }
        System.out.println("bootstrap mode " + Integer.toOctalString(mode & 0777) + ", " + kind(head));
    }

    private static String kind(byte[] head) {
        if (head.length >= 20 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            int machine = ByteBuffer.wrap(head, 18, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
            return switch (machine) {
                case 0x3e -> "ELF x86_64";
                case 0xb7 -> "ELF aarch64 (arm64)";
                default -> "ELF machine 0x" + Integer.toHexString(machine);
            };
        }
        if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
            return "script";
        }
        return "unknown content";
    }

    /** The Unix mode of an entry, from the central directory's external attributes; null when absent. */
    private static Integer unixMode(Path zip, String name) throws IOException {
        ByteBuffer data;
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        int end = data.limit() - 22;
        while (end >= 0 && data.getInt(end) != 0x06054b50) {
            end--;
        }
        if (end < 0) {
            fail(zip + " is not a zip file");
        }
        int entries = data.getShort(end + 10) & 0xffff;
        int at = data.getInt(end + 16);
        for (int i = 0; i < entries; i++) {
            if (data.getInt(at) != 0x02014b50) {
                fail(zip + ": corrupt central directory");
            }
            int nameLength = data.getShort(at + 28) & 0xffff;
            int extraLength = data.getShort(at + 30) & 0xffff;
            int commentLength = data.getShort(at + 32) & 0xffff;
            int external = data.getInt(at + 38);
            byte[] entryName = new byte[nameLength];
            data.get(at + 46, entryName);
            if (name.equals(new String(entryName, StandardCharsets.UTF_8))) {
                return external >>> 16;
            }
            at += 46 + nameLength + extraLength + commentLength;
        }
        return null;
    }

    private static void fail(String message) {
        System.out.println(message);
        System.exit(1);
    }
}
