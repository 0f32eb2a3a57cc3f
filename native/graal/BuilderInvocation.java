import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationElement;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What GraalVM's `native-image` launcher (svm-driver, not published on Maven Central) would work out before starting
 * the image builder, computed from the builder jars of native/graal/pom.xml and from the native-image source directory
 * Quarkus leaves behind. Run with Temurin 25 (it reads class files with java.lang.classfile). Two commands:
 *
 * <pre>
 *   headers JARS_DIR OUT_DIR     C headers the builder's C queries include (-H:CLibraryPath=OUT_DIR)
 *   command JARS_DIR SOURCE_DIR OUT_DIR CLIB_DIR [builder option ...]
 *                                the builder's command line, one argument a line (a java @argfile)
 * </pre>
 *
 * Everything here is derived from what the jars declare (module names, referenced JDK packages, C struct annotations,
 * option names); only the launcher options that Quarkus and library native-image.properties use are translated, and
 * any other launcher option stops the build with its name, rather than being dropped silently.
 */
final class BuilderInvocation {

    private static final String BUILDER_MODULE = "org.graalvm.nativeimage.builder";
    private static final String META_INF = "META-INF/native-image/";

    /** Configuration files the builder reads, by the option that names them as class-path resources. */
    private static final Map<String, String> CONFIG_RESOURCE_OPTIONS = Map.of(
            "reflect-config.json", "ReflectionConfigurationResources",
            "resource-config.json", "ResourceConfigurationResources",
            "jni-config.json", "JNIConfigurationResources",
            "proxy-config.json", "DynamicProxyConfigurationResources",
            "serialization-config.json", "SerializationConfigurationResources",
            "predefined-classes-config.json", "PredefinedClassesConfigurationResources",
            "reachability-metadata.json", "ReachabilityMetadataResources");

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("headers")) {
            writeHeaders(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length >= 5 && args[0].equals("command")) {
            List<String> extra = List.of(args).subList(5, args.length);
            // A java @argfile: quoted, since some values hold spaces.
            command(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]), extra)
                    .forEach(arg -> System.out.println('"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"'));
        } else {
            System.err.println("usage: headers JARS_DIR OUT_DIR | command JARS_DIR SOURCE_DIR OUT_DIR CLIB_DIR [option ...]");
            System.exit(2);
        }
    }

    // ---------------------------------------------------------------------------------------------------- headers

    /**
     * The builder sizes the C structs it reads from its own C helpers (CPU features, locale) by compiling a query
     * against their headers, which ship only inside a GraalVM distribution. The struct layouts are declared in the
     * builder's annotations (@CStruct, @CField, @CConstant on classes whose @CContext names the header), so the
     * headers are written from those: fields of boolean accessors are chars, of CCharPointer accessors char pointers.
     */
    static void writeHeaders(Path jarsDir, Path outDir) throws IOException {
        Path svm = builderJar(jarsDir, "svm-");
        Map<String, String> headerByDirectives = new TreeMap<>();
        Map<String, ClassModel> classes = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(svm.toFile())) {
            for (var entry : Collections.list(jar.entries())) {
                if (!entry.getName().startsWith("com/oracle/svm/core/") || !entry.getName().endsWith(".class")) {
                    continue;
                }
                ClassModel model = parse(jar.getInputStream(entry));
                classes.put(model.thisClass().asInternalName(), model);
                for (PoolEntry pool : model.constantPool()) {
                    if (pool instanceof java.lang.classfile.constantpool.StringEntry s
                            && s.stringValue().startsWith("include/") && s.stringValue().endsWith(".h")
                            && model.thisClass().asInternalName().endsWith("Directives")) {
                        headerByDirectives.put(model.thisClass().asInternalName(), s.stringValue());
                    }
                }
            }
        }
        Map<String, StringBuilder> headers = new TreeMap<>();
        for (ClassModel model : classes.values()) {
            String directives = contextOf(model, classes);
            if (directives == null || !headerByDirectives.containsKey(directives)) {
                continue;
            }
            StringBuilder header = headers.computeIfAbsent(headerByDirectives.get(directives), h -> new StringBuilder());
            Optional<Annotation> struct = annotation(model.findAttribute(java.lang.classfile.Attributes.runtimeVisibleAnnotations())
                    .map(a -> a.annotations()).orElse(List.of()), "Lorg/graalvm/nativeimage/c/struct/CStruct;");
            if (struct.isPresent()) {
                String name = stringElement(struct.get(), "value").filter(s -> !s.isEmpty())
                        .orElse(simpleName(model.thisClass().asInternalName()));
                header.append("typedef struct {\n");
                for (MethodModel method : model.methods()) {
                    List<Annotation> annotations = methodAnnotations(method);
                    Optional<Annotation> field = annotation(annotations, "Lorg/graalvm/nativeimage/c/struct/CField;");
                    if (field.isEmpty()) {
                        continue;
                    }
                    String fieldName = stringElement(field.get(), "value").filter(s -> !s.isEmpty())
                            .orElse(method.methodName().stringValue());
                    header.append("  ").append(cType(method.methodType().stringValue())).append(' ').append(fieldName).append(";\n");
                }
                header.append("} ").append(name).append(";\n\n");
            }
            int constant = 0;
            for (MethodModel method : model.methods()) {
                if (annotation(methodAnnotations(method), "Lorg/graalvm/nativeimage/c/constant/CConstant;").isPresent()) {
                    // Only the analysis reads these; distinct values keep them distinguishable.
                    header.append("#define ").append(method.methodName().stringValue()).append(' ').append(constant++).append('\n');
                }
            }
        }
        for (var header : headers.entrySet()) {
            Path file = outDir.resolve(header.getKey());
            Files.createDirectories(file.getParent());
            String guard = file.getFileName().toString().replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
            Files.writeString(file, "/* Written by native/graal/BuilderInvocation.java from the builder's C annotations. */\n"
                    + "#ifndef " + guard + "\n#define " + guard + "\n\n" + header.getValue() + "\n#endif\n");
        }
        for (String expected : headerByDirectives.values()) {
            if (!headers.containsKey(expected)) {
                Path file = outDir.resolve(expected);
                Files.createDirectories(file.getParent());
                Files.writeString(file, "/* Written by native/graal/BuilderInvocation.java: nothing declared. */\n");
            }
        }
    }

    private static String contextOf(ClassModel model, Map<String, ClassModel> classes) {
        for (ClassModel current = model; current != null; ) {
            Optional<Annotation> context = annotation(current.findAttribute(java.lang.classfile.Attributes.runtimeVisibleAnnotations())
                    .map(a -> a.annotations()).orElse(List.of()), "Lorg/graalvm/nativeimage/c/CContext;");
            if (context.isPresent()) {
                for (AnnotationElement element : context.get().elements()) {
                    if (element.value() instanceof AnnotationValue.OfClass c) {
                        String descriptor = c.className().stringValue();
                        return descriptor.substring(1, descriptor.length() - 1);
                    }
                }
            }
            String name = current.thisClass().asInternalName();
            int nested = name.lastIndexOf('$');
            current = nested < 0 ? null : classes.get(name.substring(0, nested));
        }
        return null;
    }

    private static String cType(String methodDescriptor) {
        String returned = methodDescriptor.substring(methodDescriptor.indexOf(')') + 1);
        return switch (returned) {
            case "Z", "B" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long long";
            case "Lorg/graalvm/nativeimage/c/type/CCharPointer;" -> "char *";
            default -> "void *";
        };
    }

    // ---------------------------------------------------------------------------------------------------- command

    static List<String> command(Path jarsDir, Path sourceDir, Path outDir, Path cLibraryDir, List<String> extra)
            throws IOException {
        List<String> recorded = Files.readAllLines(sourceDir.resolve("native-image.args"));
        List<String> jvm = new ArrayList<>();
        List<String> builder = new ArrayList<>();
        List<Pattern[]> excluded = new ArrayList<>();
        String imageName = null;
        String jar = null;
        for (int i = 0; i < recorded.size(); i++) {
            String arg = recorded.get(i);
            if (arg.startsWith("-J")) {
                jvm.add(arg.substring(2));
            } else if (arg.equals("--exclude-config")) {
                excluded.add(new Pattern[] {Pattern.compile(recorded.get(i + 1)), Pattern.compile(recorded.get(i + 2))});
                i += 2;
            } else if (arg.equals("-jar")) {
                jar = recorded.get(++i);
            } else if (!arg.startsWith("-")) {
                imageName = arg;
            } else {
                builder.addAll(launcherOption(arg, "the recorded arguments"));
            }
        }
        if (jar == null || imageName == null) {
            throw new IllegalStateException("native-image.args names no -jar and image name: " + recorded);
        }
        Path runner = sourceDir.resolve(jar);
        List<Path> classPath = new ArrayList<>();
        classPath.add(runner);
        String mainClass;
        try (JarFile runnerJar = new JarFile(runner.toFile())) {
            var attributes = runnerJar.getManifest().getMainAttributes();
            mainClass = attributes.getValue("Main-Class");
            // As `java -jar` (and the launcher for -jar) does: the manifest's Add-Opens/Add-Exports open JDK packages
            // to the application's classes, which the builder loads and initialises in its own JVM.
            for (String kind : List.of("Add-Opens", "Add-Exports")) {
                String packages = attributes.getValue(kind);
                if (packages != null) {
                    for (String modulePackage : packages.trim().split("\\s+")) {
                        jvm.add("--" + kind.toLowerCase() + "=" + modulePackage + "=ALL-UNNAMED");
                    }
                }
            }
            String manifestPath = attributes.getValue("Class-Path");
            if (manifestPath != null) {
                for (String entry : manifestPath.trim().split("\\s+")) {
                    classPath.add(sourceDir.resolve(entry));
                }
            }
        }
        // What every class-path jar asks for in META-INF/native-image: launcher arguments from
        // native-image.properties, and its configuration files as resources the builder reads.
        for (Path entry : classPath) {
            if (!Files.isRegularFile(entry)) {
                continue;
            }
            try (JarFile cpJar = new JarFile(entry.toFile())) {
                for (var resource : Collections.list(cpJar.entries())) {
                    String name = resource.getName();
                    if (!name.startsWith(META_INF) || resource.isDirectory() || isExcluded(entry, name, excluded)) {
                        continue;
                    }
                    String fileName = name.substring(name.lastIndexOf('/') + 1);
                    if (fileName.equals("native-image.properties")) {
                        Properties properties = new Properties();
                        try (InputStream in = cpJar.getInputStream(resource)) {
                            properties.load(in);
                        }
                        String where = entry.getFileName() + "!/" + name;
                        for (String arg : words(properties.getProperty("Args", ""))) {
                            builder.addAll(launcherOption(arg, where));
                        }
                        for (String arg : words(properties.getProperty("JavaArgs", ""))) {
                            jvm.add(arg);
                        }
                    } else if (CONFIG_RESOURCE_OPTIONS.containsKey(fileName)) {
                        String option = "-H:" + CONFIG_RESOURCE_OPTIONS.get(fileName) + "=" + name;
                        if (!builder.contains(option)) {
                            builder.add(option);
                        }
                    }
                }
            }
        }

        List<Path> jars;
        try (Stream<Path> listing = Files.list(jarsDir)) {
            jars = listing.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        Path compiler = builderJar(jarsDir, "compiler-");
        List<String> command = new ArrayList<>();
        command.add("-XX:+UnlockExperimentalVMOptions");
        command.add("-XX:+EnableJVMCI");
        command.add("-XX:-UseJVMCICompiler");
        command.add("-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader");
        command.add("-Dorg.graalvm.nativeimage.imagecode=buildtime");
        command.add("-Djdk.internal.lambda.disableEagerInitialization=true");
        command.add("-Dcom.oracle.graalvm.isaot=true");
        // A GraalVM JDK names itself in this property; features read it at build time (Quarkus's does, to pick
        // version-dependent substitutions). The builder runs on this JDK, so its version is the one to give.
        command.add("-Dorg.graalvm.vendorversion=GraalVM CE " + Runtime.version());
        command.add("--upgrade-module-path");
        command.add(compiler.toString());
        command.add("--module-path");
        command.add(String.join(":", jars.stream().filter(p -> !p.equals(compiler)).map(Path::toString).toList()));
        command.add("--add-modules");
        command.add(String.join(",", modules(jars)));
        command.addAll(exports(jars));
        command.addAll(jvm);
        command.add("--module");
        command.add(BUILDER_MODULE + "/com.oracle.svm.hosted.NativeImageGeneratorRunner");
        command.add("-imagecp");
        command.add(String.join(":", classPath.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()));
        command.add("-H:Path=" + outDir.toAbsolutePath());
        command.add("-H:Name=" + imageName);
        command.add("-H:Class=" + mainClass);
        command.add("-H:ImageBuildID=" + UUID.randomUUID());
        command.add("-H:CLibraryPath=" + cLibraryDir.toAbsolutePath());
        command.addAll(builder);
        for (String arg : extra) {
            command.addAll(launcherOption(arg, "the command line"));
        }
        return command;
    }

    /**
     * A launcher option in the builder's terms, as the builder's @APIOption annotations declare it (the option a
     * long name sets, and the value a flag fixes). Unknown launcher options stop the build.
     */
    static List<String> launcherOption(String arg, String where) {
        if (arg.startsWith("-H:") || arg.startsWith("-R:")) {
            return List.of(arg);
        }
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg : arg.substring(0, equals);
        String value = equals < 0 ? "" : arg.substring(equals + 1);
        return switch (name) {
            case "--features" -> List.of("-H:Features=" + value);
            case "--initialize-at-build-time" -> List.of("-H:ClassInitialization=" + initialization(value, ":build_time"));
            case "--initialize-at-run-time" -> List.of("-H:ClassInitialization=" + initialization(value, ":run_time"));
            case "--no-fallback" -> List.of("-H:FallbackThreshold=0");
            case "--link-at-build-time" -> List.of("-H:LinkAtBuildTime=" + value);
            case "--enable-url-protocols" -> List.of("-H:EnableURLProtocols=" + value);
            case "--enable-http" -> List.of("-H:EnableURLProtocols=http");
            case "--enable-https" -> List.of("-H:EnableURLProtocols=https");
            case "--enable-monitoring" -> List.of("-H:EnableMonitoringFeatures=" + value);
            case "--enable-native-access" -> List.of("-H:EnableNativeAccess=" + value);
            case "--allow-incomplete-classpath", "--report-unsupported-elements-at-runtime" -> List.of();
            case "--parallelism" -> List.of("-H:NumberOfThreads=" + value);
            case "-march" -> List.of("-H:MicroArchitecture=" + value);
            default -> {
                if (arg.matches("-O[0-3bs]")) {
                    yield List.of("-H:Optimize=" + arg.substring(2));
                }
                throw new IllegalArgumentException("launcher option " + arg + " (from " + where
                        + ") has no translation in native/graal/BuilderInvocation.java#launcherOption");
            }
        };
    }

    /** As the builder's InitializationValueTransformer: every comma-separated name gets the suffix. */
    private static String initialization(String value, String suffix) {
        if (value.isEmpty()) {
            return suffix;
        }
        return String.join(",", Stream.of(value.split(",")).map(v -> v + suffix).toList());
    }

    private static boolean isExcluded(Path jar, String resource, List<Pattern[]> excluded) {
        for (Pattern[] rule : excluded) {
            // Quarkus writes the jar pattern against the Maven coordinates that name the jar file, and the resource
            // pattern with a leading slash.
            if (rule[0].matcher(jar.getFileName().toString()).find() && rule[1].matcher("/" + resource).matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> words(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static List<String> modules(List<Path> jars) {
        return jars.stream().map(BuilderInvocation::moduleName).sorted().toList();
    }

    /**
     * --add-exports for every JDK package a builder module refers to that its JDK module does not export to it: the
     * GraalVM distribution's own JDK exports them at build time; Temurin's does not.
     */
    private static List<String> exports(List<Path> jars) throws IOException {
        Map<String, String> moduleOfPackage = new TreeMap<>();
        Map<String, ModuleDescriptor> jdk = new TreeMap<>();
        for (var reference : ModuleFinder.ofSystem().findAll()) {
            ModuleDescriptor descriptor = reference.descriptor();
            jdk.put(descriptor.name(), descriptor);
            for (String pkg : descriptor.packages()) {
                moduleOfPackage.put(pkg, descriptor.name());
            }
        }
        Set<String> ours = new TreeSet<>(modules(jars));
        Map<String, Set<String>> readers = new TreeMap<>();
        for (Path jar : jars) {
            String reader = moduleName(jar);
            Set<String> referenced = new TreeSet<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                for (var entry : Collections.list(file.entries())) {
                    String name = entry.getName();
                    if (!name.endsWith(".class") || name.endsWith("module-info.class") || name.startsWith("META-INF/")) {
                        continue;
                    }
                    for (PoolEntry pool : parse(file.getInputStream(entry)).constantPool()) {
                        if (pool instanceof ClassEntry c) {
                            String internal = c.asInternalName();
                            while (internal.startsWith("[")) {
                                internal = internal.substring(1);
                            }
                            if (internal.startsWith("L") && internal.endsWith(";")) {
                                internal = internal.substring(1, internal.length() - 1);
                            }
                            int slash = internal.lastIndexOf('/');
                            if (slash > 0) {
                                referenced.add(internal.substring(0, slash).replace('/', '.'));
                            }
                        }
                    }
                }
            }
            for (String pkg : referenced) {
                String owner = moduleOfPackage.get(pkg);
                if (owner == null || ours.contains(owner)) {
                    continue;
                }
                boolean exported = jdk.get(owner).exports().stream().anyMatch(e -> e.source().equals(pkg)
                        && (!e.isQualified() || e.targets().contains(reader)));
                if (!exported) {
                    readers.computeIfAbsent(owner + "/" + pkg, k -> new TreeSet<>()).add(reader);
                }
            }
        }
        List<String> result = new ArrayList<>();
        readers.forEach((pkg, modules) -> result.add("--add-exports=" + pkg + "=" + String.join(",", modules)));
        return result;
    }

    private static String moduleName(Path jar) {
        return ModuleFinder.of(jar).findAll().iterator().next().descriptor().name();
    }

    private static Path builderJar(Path jarsDir, String prefix) throws IOException {
        try (Stream<Path> listing = Files.list(jarsDir)) {
            return listing.filter(p -> p.getFileName().toString().matches(Pattern.quote(prefix) + "[0-9].*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in " + jarsDir));
        }
    }

    // ---------------------------------------------------------------------------------------------------- class files

    private static ClassModel parse(InputStream in) throws IOException {
        try (in) {
            return ClassFile.of().parse(in.readAllBytes());
        }
    }

    private static List<Annotation> methodAnnotations(MethodModel method) {
        return method.findAttribute(java.lang.classfile.Attributes.runtimeVisibleAnnotations())
                .map(a -> a.annotations()).orElse(List.of());
    }

    private static Optional<Annotation> annotation(List<Annotation> annotations, String descriptor) {
        return annotations.stream().filter(a -> a.classSymbol().descriptorString().equals(descriptor)).findFirst();
    }

    private static Optional<String> stringElement(Annotation annotation, String name) {
        return annotation.elements().stream().filter(e -> e.name().stringValue().equals(name))
                .map(AnnotationElement::value).filter(v -> v instanceof AnnotationValue.OfString)
                .map(v -> ((AnnotationValue.OfString) v).stringValue()).findFirst();
    }

    private static String simpleName(String internalName) {
        return internalName.substring(Math.max(internalName.lastIndexOf('/'), internalName.lastIndexOf('$')) + 1);
    }

    private BuilderInvocation() {
    }
}
