#!/usr/bin/env bash
# GraalVM's own image builder, from Maven Central, on the functions (see native/README.md, "GraalVM's builder
# without a GraalVM distribution").
#
#   native/graal-build.sh --artifact functions/ratelimit [--artifact ...] | --all
#                         [--reuse-sources] [--threads N] [--xmx 6g] [--builder-option -H:...]...
#
# For each artifact: Quarkus's native build (the fast path of native/build.sh) with native/graal/recorder standing in
# for the `native-image` launcher, which records the launcher arguments as native-image.args in
# target/*-native-image-source-jar/; then the builder (org.graalvm.nativeimage:svm, pinned in native/graal/pom.xml)
# runs its analysis and compilation on those arguments and stops after writing the relocatable object file
# (-H:+ExitAfterRelocatableImageWrite): linking needs the JDK's static libraries, which no registry here ships.
# One table row per artifact: types and methods reached, object size, wall time, peak RSS. Exit 1 when any fails.
#
# --reuse-sources   use the native-image.args a previous native/build.sh (check mode) or run of this script left.
# --threads N       builder threads (default 1: the machine is shared; CI, running alone, can give it 2).
# --xmx SIZE        builder heap (default 6g).
# GRAAL_JAVA_HOME   the JDK that runs the builder (default /usr/lib/jvm/temurin-25-jdk-amd64): JDK 25 with the
#                   modules jdk.internal.vm.ci and jdk.graal.compiler.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
GRAAL_JAVA_HOME="${GRAAL_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WORK="$ROOT/native/target/graal"
JARS="$WORK/jars"
BUILDER_HOME="$WORK/jdk"
CLIBRARY="$WORK/clibrary"
TABLE="$WORK/table.md"

artifacts=()
reuse=false
threads=1
xmx=6g
builder_options=()
while [ $# -gt 0 ]; do
  case "$1" in
    --artifact) artifacts+=("${2%/}"); shift 2 ;;
    --all) mapfile -t -O "${#artifacts[@]}" artifacts < <(native/function-modules); shift ;;
    --reuse-sources) reuse=true; shift ;;
    --threads) threads="$2"; shift 2 ;;
    --xmx) xmx="$2"; shift 2 ;;
    --builder-option) builder_options+=("$2"); shift 2 ;;
    *) echo "native/graal-build.sh: unknown argument '$1' (see the head of this script)" >&2; exit 2 ;;
  esac
done
if [ ${#artifacts[@]} -eq 0 ]; then
  echo "native/graal-build.sh: name --artifact <module directory> (one or more) or --all" >&2
  exit 2
fi
if ! "$GRAAL_JAVA_HOME/bin/java" --list-modules 2>/dev/null | grep -q '^jdk.internal.vm.ci@'; then
  echo "native/graal-build.sh: $GRAAL_JAVA_HOME is not a JDK with JVMCI (jdk.internal.vm.ci); set GRAAL_JAVA_HOME" >&2
  exit 2
fi
mkdir -p "$WORK"
java_25() { "$GRAAL_JAVA_HOME/bin/java" "$@"; }

# 1. The builder jars: pinned in native/graal/pom.xml, resolved by Maven with checksum policy "fail" (-C). The
#    builder's POMs activate their dependencies by JDK version, so Maven itself runs on the builder's JDK.
if [ ! -f "$JARS/.resolved" ] || [ "$ROOT/native/graal/pom.xml" -nt "$JARS/.resolved" ]; then
  echo "native/graal-build.sh: resolving the builder jars (native/graal/pom.xml)"
  rm -rf "$JARS"
  JAVA_HOME="$GRAAL_JAVA_HOME" mvn -B -ntp -q -C -f native/graal/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$JARS"
  touch "$JARS/.resolved"
fi

# 2. The builder's home: a hard-linked copy of the JDK (a plain copy across file systems) plus the one native
#    library the builder loads from java.home, lib/svm/builder/lib/libreporterchelper.so: two JNI functions, peak
#    RSS of the builder process and the terminal's width, written here from their Java declarations in
#    com.oracle.svm.hosted.ProgressReporterCHelper.
if [ ! -f "$BUILDER_HOME/lib/svm/builder/lib/libreporterchelper.so" ]; then
  echo "native/graal-build.sh: preparing the builder home $BUILDER_HOME"
  rm -rf "$BUILDER_HOME"
  cp -al "$GRAAL_JAVA_HOME" "$BUILDER_HOME" 2>/dev/null || { rm -rf "$BUILDER_HOME"; cp -a "$GRAAL_JAVA_HOME" "$BUILDER_HOME"; }
  mkdir -p "$BUILDER_HOME/lib/svm/builder/lib"
  cat >"$WORK/reporterchelper.c" <<'C'
/* The builder's progress reporter asks the host for two numbers (native/graal-build.sh writes this file). */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass cls) {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) {
    return -1;
  }
  return (jlong) usage.ru_maxrss * 1024; /* Linux reports kilobytes */
}

JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env, jclass cls) {
  struct winsize size;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) {
    return 0; /* not a terminal: the reporter uses its default width */
  }
  return size.ws_col;
}
C
  # The hard-linked copy must not write into the original JDK's files: the new library is a new file.
  cc -O2 -shared -fPIC -I"$GRAAL_JAVA_HOME/include" -I"$GRAAL_JAVA_HOME/include/linux" \
    -o "$BUILDER_HOME/lib/svm/builder/lib/libreporterchelper.so" "$WORK/reporterchelper.c"
fi

# 3. The C headers of the builder's own C helpers (CPU features, locale), from its struct annotations.
if [ ! -f "$CLIBRARY/include/svm_locale.h" ] || [ "$JARS/.resolved" -nt "$CLIBRARY/include/svm_locale.h" ]; then
  rm -rf "$CLIBRARY"
  java_25 native/graal/BuilderInvocation.java headers "$JARS" "$CLIBRARY"
fi

artifact_id() {
  sed -n '/<\/parent>/,$p' "$1/pom.xml" | sed -n 's/.*<artifactId>\([^<]*\)<\/artifactId>.*/\1/p' | head -n 1
}

human_bytes() { awk -v b="$1" 'BEGIN { if (b == "" || b < 0) print "?"; else if (b >= 1073741824) printf "%.2f GB", b / 1073741824; else printf "%.1f MB", b / 1048576 }'; }

# 4. Quarkus's native build up to the launcher call, recorded. Maven is expected to fail at NativeImageBuildStep
#    (the recorder stops the build); what counts is the recorded native-image.args.
record_sources() {
  local module="$1" log="$2"
  rm -rf "$module"/target/*-native-image-source-jar
  set +e
  GRAALVM_HOME="$ROOT/native/graal/recorder" GRAAL_JAVA_HOME="$GRAAL_JAVA_HOME" nice -n 19 \
    mvn -B -ntp package -Pnative -Dmaven.test.skip=true -Dquarkus.generate-code.skip=true \
    -Dquarkus.native.container-build=false -pl "$module" >"$log" 2>&1
  set -e
}

printf '| artifact | result | types reached | methods reached | object file | build time | builder CPU | peak RSS |\n' >"$TABLE"
printf '|---|---|---|---|---|---|---|---|\n' >>"$TABLE"
failures=0
for module in "${artifacts[@]}"; do
  [ -f "$module/pom.xml" ] || { echo "native/graal-build.sh: no module at $module" >&2; exit 2; }
  id="$(artifact_id "$module")"
  out="$WORK/images/$id"
  rm -rf "$out"
  mkdir -p "$out"
  started=$SECONDS
  source_dir="$(ls -d "$module"/target/*-native-image-source-jar 2>/dev/null | head -n 1 || true)"
  if ! $reuse || [ ! -f "$source_dir/native-image.args" ]; then
    echo "native/graal-build.sh: $module: Quarkus native build (log $out/quarkus.log)"
    record_sources "$module" "$out/quarkus.log"
    source_dir="$(ls -d "$module"/target/*-native-image-source-jar 2>/dev/null | head -n 1 || true)"
  fi
  if [ ! -f "$source_dir/native-image.args" ]; then
    echo "FAIL  $module: Quarkus's native build recorded no native-image.args; end of $out/quarkus.log:" >&2
    tail -n 30 "$out/quarkus.log" >&2 || true
    printf '| `%s` | Quarkus native build failed | | | | | | |\n' "$module" >>"$TABLE"
    failures=$((failures + 1))
    continue
  fi
  quarkus_seconds=$((SECONDS - started))

  if ! java_25 native/graal/BuilderInvocation.java command "$JARS" "$source_dir" "$out" "$CLIBRARY" \
    "-H:NumberOfThreads=$threads" -H:+UnlockExperimentalVMOptions -H:+ExitAfterRelocatableImageWrite \
    -H:-UnlockExperimentalVMOptions "-H:TempDirectory=$out/tmp" "${builder_options[@]}" >"$out/builder.args" \
    2>"$out/invocation.log"; then
    echo "FAIL  $module: no builder command: $(head -n 1 "$out/invocation.log")" >&2
    printf '| `%s` | no builder command: %s | | | | | | |\n' "$module" "$(head -n 1 "$out/invocation.log" | tr '|' '/' | cut -c 1-200)" >>"$TABLE"
    failures=$((failures + 1))
    continue
  fi
  echo "native/graal-build.sh: $module: GraalVM builder, $threads thread(s), -Xmx$xmx (log $out/builder.log)"
  builder_started=$SECONDS
  set +e
  # JVMCI_VERSION_CHECK: Temurin's JVMCI (25.0.3) is older than the pinned compiler (25.0.4); the builder only
  # uses JVMCI to read the host's classes, not to install compiled code.
  # /usr/bin/time (Debian's `time`) measures the builder JVM; without it the table leaves those columns empty.
  timer=()
  [ ! -x /usr/bin/time ] || timer=(/usr/bin/time -f '%M %U %S' -o "$out/time.txt")
  (cd "$out" && JVMCI_VERSION_CHECK=ignore "${timer[@]}" nice -n 19 \
    "$BUILDER_HOME/bin/java" "-Xmx$xmx" -Xss10m @"$out/builder.args") >"$out/builder.log" 2>&1
  status=$?
  set -e
  builder_seconds=$((SECONDS - builder_started))

  # The builder's own progress report: "N types, N fields, and N methods" reached by the analysis.
  reached="$(grep -Eo '[0-9,]+ types, +[0-9,]+ fields, and +[0-9,]+ methods' "$out/builder.log" | head -n 1 || true)"
  types="$(printf '%s' "$reached" | awk '{print $1}')"
  methods="$(printf '%s' "$reached" | awk '{print $(NF-1)}')"
  # The relocatable object is written to the builder's temporary directory, which it keeps when given one.
  object="$(find "$out" -name '*.o' -type f 2>/dev/null | head -n 1 || true)"
  object_size=""
  [ -z "$object" ] || object_size="$(human_bytes "$(stat -c %s "$object")") \`$(basename "$object")\`"
  # /usr/bin/time: peak RSS (KB) of the builder JVM, and its user and system CPU seconds, which say more than the
  # wall time on a shared machine.
  read -r peak_kb user_s system_s < <(tail -n 1 "$out/time.txt" 2>/dev/null | grep -E '^[0-9]+ [0-9.]+ [0-9.]+$' || echo "-1 0 0")
  peak="$(human_bytes "$((peak_kb * 1024))")"
  cpu="$(awk -v u="$user_s" -v s="$system_s" 'BEGIN { printf "%d s", u + s }')"
  timing="${builder_seconds} s (+ ${quarkus_seconds} s Quarkus)"
  if [ "$status" -eq 0 ] && [ -n "$object" ]; then
    echo "PASS  $module: analysed and compiled: $types types, $methods methods; $object_size; $timing; CPU $cpu; peak RSS $peak"
    printf '| `%s` | object written | %s | %s | %s | %s | %s | %s |\n' "$module" "$types" "$methods" "$object_size" "$timing" "$cpu" "$peak" >>"$TABLE"
  else
    failures=$((failures + 1))
    # The builder's own verdict: "Error: ..." for a user error, else the exception after "unexpected error:".
    first_error="$(grep -m 1 -E '^(Error|Fatal error): ' "$out/builder.log" || true)"
    [ -n "$first_error" ] || first_error="$(sed -n '/encountered an unexpected error/,$p' "$out/builder.log" | grep -m 1 -E 'Exception|Error' || true)"
    [ -n "$first_error" ] || first_error="$(grep -m 1 -E 'Exception|Error' "$out/builder.log" || true)"
    first_error="$(printf '%s' "$first_error" | cut -c 1-220)"
    echo "FAIL  $module: the builder exited with $status after $builder_seconds s: ${first_error:-see $out/builder.log}" >&2
    tail -n 40 "$out/builder.log" >&2
    printf '| `%s` | builder failed (exit %s): %s | %s | %s | | %s | %s | %s |\n' "$module" "$status" \
      "$(printf '%s' "$first_error" | tr '|' '/')" "$types" "$methods" "$timing" "$cpu" "$peak" >>"$TABLE"
  fi
done

echo
echo "native/graal-build.sh: $(date -u +%Y-%m-%d), builder $(ls "$JARS" | sed -n 's/^svm-\([0-9].*\)\.jar$/\1/p') on $("$GRAAL_JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
cat "$TABLE"
if [ "$failures" -gt 0 ]; then
  echo "native/graal-build.sh: $failures of ${#artifacts[@]} artifacts failed (logs under $WORK/images/)" >&2
  exit 1
fi
