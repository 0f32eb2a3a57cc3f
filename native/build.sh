#!/usr/bin/env bash
# Native build of every function (see native/README.md).
#
#   native/build.sh [--all] [extra Maven flags, e.g. -Dquarkus.native.container-runtime-options=--platform=linux/arm64]
#
# Where GraalVM/Mandrel's native-image is installed, or a container runtime answers, each function is built into
# target/function.zip with a `bootstrap` executable for the provided.al2023 runtime, and the zip is checked.
# Elsewhere the native build runs up to the point where it needs native-image: Quarkus's native build steps must
# pass and leave target/*-native-image-source-jar/ (runner jar + lib/) for every function; the native-image step
# itself is expected to fail: native/graal/recorder stands in for native-image and records its arguments as
# native-image.args beside the runner jar. One verdict per function; exit 1 when any function fails before that point.
#
# --all (check mode): then runs GraalVM's image builder from Maven Central on every function's recorded arguments
# (native/graal-build.sh: analysis and compilation up to the object file) and prints its per-artifact table.
#
# NATIVE_MODE=auto (default) | local | container | check forces a mode.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_DIR="$ROOT/native/target"
LOG="$LOG_DIR/build.log"
mkdir -p "$LOG_DIR"

graal_all=false
if [ "${1:-}" = --all ]; then
  graal_all=true
  shift
fi

mapfile -t modules < <(native/function-modules)
if [ ${#modules[@]} -eq 0 ]; then
  echo "native/build.sh: no function module found in pom.xml (see native/function-modules)" >&2
  exit 1
fi

runtime_answers() {
  local runtime
  for runtime in docker podman; do
    if command -v "$runtime" >/dev/null 2>&1 && "$runtime" info >/dev/null 2>&1; then
      return 0
    fi
  done
  return 1
}

mode="${NATIVE_MODE:-auto}"
if [ "$mode" = auto ]; then
  if command -v native-image >/dev/null 2>&1 || [ -x "${GRAALVM_HOME:-/nonexistent}/bin/native-image" ]; then
    mode=local
  elif runtime_answers; then
    mode=container
  else
    mode=check
  fi
fi
case "$mode" in
  local)     flags=(-Dquarkus.native.container-build=false)
             what="native build with the local native-image" ;;
  container) flags=(-Dquarkus.native.container-build=true)
             what="native build in a builder container" ;;
  # Without container-build=false Quarkus would first try a container runtime that is not there.
  check)     flags=(-Dquarkus.native.container-build=false)
             what="no native-image and no container runtime: native build up to the native-image step" ;;
  *) echo "native/build.sh: NATIVE_MODE must be auto, local, container or check, not '$mode'" >&2; exit 2 ;;
esac

# Evidence must come from this run, not from an earlier one.
for module in "${modules[@]}"; do
  if [ "$mode" = check ]; then
    rm -rf "$module"/target/*-native-image-source-jar
  else
    rm -f "$module/target/function.zip"
  fi
done

echo "native/build.sh: $what"
echo "native/build.sh: functions: ${modules[*]}"
echo "native/build.sh: log: $LOG"
started=$SECONDS
modules_csv="$(IFS=,; echo "${modules[*]}")"
# -fae: a function that fails must not hide the verdicts of the others. -am builds the kit (and what the
# functions' tests need) from source, so this script does not depend on an earlier `mvn install`.
# In check mode Quarkus finds native/graal/recorder as its native-image: the build still stops at the native-image
# step, having recorded that step's arguments (native-image.args) for native/graal-build.sh.
recorder=()
[ "$mode" != check ] || recorder=(env GRAALVM_HOME="$ROOT/native/graal/recorder")
set +e
# quarkus.generate-code.skip: no function generates sources (gRPC, Avro), and test code generation alone costs
# ~15 s per function; Quarkus warns that it does not know the key, which is harmless.
"${recorder[@]}" mvn -B package -Pnative -Dmaven.test.skip=true -Dquarkus.generate-code.skip=true -fae -pl "$modules_csv" -am \
  "${flags[@]}" "$@" >"$LOG" 2>&1
mvn_status=$?
set -e
echo "native/build.sh: Maven finished with status $mvn_status after $((SECONDS - started)) s"

artifact_id() {
  sed -n '/<\/parent>/,$p' "$1/pom.xml" | sed -n 's/.*<artifactId>\([^<]*\)<\/artifactId>.*/\1/p' | head -n 1
}

# Maven's closing error report for one project: from "on project ID:" to the next report or the help footer.
error_report() {
  awk -v id="$1" '
    /^\[ERROR\] Failed to execute goal / { inside = index($0, "on project " id ":") > 0 }
    /^\[ERROR\] -> \[Help/ { inside = 0 }
    inside { print }
  ' "$LOG"
}

# The lines Maven printed while building one project.
project_section() {
  awk -v id="$1" '
    /^\[INFO\] -+< [^ ]+ >-+$/ { inside = index($0, ":" id " >") > 0 }
    /^\[INFO\] Reactor Summary/ { inside = 0 }
    inside { print }
  ' "$LOG"
}

failures=0
verdicts=()
for module in "${modules[@]}"; do
  id="$(artifact_id "$module")"
  report="$(error_report "$id")"
  verdict=""
  zip_says=""
  if [ "$mode" != check ]; then
    if [ -f "$module/target/function.zip" ] && zip_says="$(java native/BootstrapCheck.java "$module/target/function.zip")"; then
      verdict="PASS  $module: target/function.zip: $zip_says"
    else
      verdict="FAIL  $module: no runnable target/function.zip${zip_says:+ ($zip_says)}"
    fi
  else
    source_jar="$(ls -d "$module"/target/*-native-image-source-jar 2>/dev/null | head -n 1 || true)"
    libs=0
    runner=""
    if [ -n "$source_jar" ]; then
      runner="$(ls "$source_jar"/*-runner.jar 2>/dev/null | head -n 1 || true)"
      libs="$(find "$source_jar/lib" -name '*.jar' 2>/dev/null | wc -l)"
    fi
    failed_steps="$(printf '%s\n' "$report" | grep -o '\[error\]: Build step [^ ]*' | sed 's/.*Build step //' | sort -u || true)"
    if [ -z "$(project_section "$id")" ]; then
      verdict="FAIL  $module: not built (a module it depends on failed first)"
    elif [ -z "$report" ]; then
      # Maven succeeded: native-image was found after all (GRAALVM_HOME, JAVA_HOME); judge the real artifact.
      if zip_says="$(java native/BootstrapCheck.java "$module/target/function.zip" 2>/dev/null)"; then
        verdict="PASS  $module: built natively after all: target/function.zip: $zip_says"
      else
        verdict="FAIL  $module: the build passed but left no runnable target/function.zip"
      fi
    elif [ "$failed_steps" != "io.quarkus.deployment.pkg.steps.NativeImageBuildStep#build" ]; then
      first="$(printf '%s\n' "$report" | grep -m 1 -v '^\[ERROR\] *$' | cut -c 1-300 || true)"
      verdict="FAIL  $module: failed before the native-image step: ${failed_steps:-$first}"
    elif [ -z "$runner" ] || [ "$libs" -eq 0 ] || [ ! -s "$source_jar/native-image.args" ]; then
      verdict="FAIL  $module: native build steps passed but ${source_jar:-target/*-native-image-source-jar} lacks the runner jar, lib/ or native-image.args"
    else
      verdict="PASS  $module: native build steps passed; ${source_jar#"$module"/} has $(basename "$runner"), $libs jars in lib/ and native-image.args; only the native-image step (absent here) failed"
    fi
  fi
  case "$verdict" in
    FAIL*)
      failures=$((failures + 1))
      echo "---- $module ($id): end of its build output ----"
      project_section "$id" | tail -n 25
      [ -z "$report" ] || { echo "---- Maven's error report for $id ----"; printf '%s\n' "$report" | head -n 25; }
      ;;
  esac
  verdicts+=("$verdict")
done

echo
echo "native/build.sh verdicts ($what):"
printf '  %s\n' "${verdicts[@]}"
if [ "$failures" -gt 0 ]; then
  echo "native/build.sh: $failures of ${#modules[@]} functions failed; full log: $LOG" >&2
  exit 1
fi
echo "native/build.sh: all ${#modules[@]} functions passed"
if $graal_all; then
  if [ "$mode" != check ]; then
    echo "native/build.sh: --all: native-image itself ran ($mode mode); GraalVM's builder from Maven Central is not needed"
    exit 0
  fi
  graal_args=()
  for module in "${modules[@]}"; do
    graal_args+=(--artifact "$module")
  done
  exec native/graal-build.sh --reuse-sources "${graal_args[@]}"
fi
