#!/usr/bin/env bash
# CLI tests of `spectralbrain check`: usage: check_cli_test.sh SPECTRALBRAIN DATA_DIR MPIEXEC
# Prints one line per case and "N passed, M failed" at the end; exits non-zero on failure.
set -uo pipefail
sb=$1
data=$2
mpiexec=${3:-mpiexec}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# run NAME EXPECTED_STATUS ARGS...: runs check, keeps stdout/stderr in $out/$err.
run() {
  local name=$1 want=$2
  shift 2
  "$sb" check "$@" >"$work/out" 2>"$work/err"
  status=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
  if [ "$status" -ne "$want" ]; then
    bad "$name" "exit $status, expected $want; stderr: $err"
    return 1
  fi
  return 0
}

expect_in() {  # expect_in NAME TEXT NEEDLE
  if [[ "$2" == *"$3"* ]]; then ok "$1"; else bad "$1" "missing '$3' in: $2"; fi
}

# 1. Verdicts and exit status.
run usable 0 --mesh "$data/fsaverage5/lh.pial" && expect_in usable "$out" "verdict: usable"
run needs_fixes 3 --mesh "$data/hippocampus/tpl-avg_space-canonical_den-0p5mm_label-hipp_midthickness.surf.gii" &&
  expect_in needs_fixes "$out" "28 triangles have zero area"
run positional 0 "$data/conte69/conte69_5k_lh.surf.gii" && expect_in positional "$out" "genus                     0"
printf 'OFF\n3 1 0\n0 0 0\n1 0 0\n2 0 0\n3 0 1 2\n' >"$work/flat.off"
run unusable 4 --mesh "$work/flat.off" && expect_in unusable "$out" "verdict: unusable"

# 2. JSON: one object, parsed by Python.
if run json 0 --mesh "$data/cit168/CIT168.mz3" --json; then
  n=$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["n_components"], d["usability"], d["genus"], len(d["component_vertices"]))')
  if [ "$n" = "33 usable 2 33" ]; then ok json; else bad json "got '$n'"; fi
fi

# 3. Hostile files: exit 1, one line on stderr naming the file and the problem, no stdout,
#    nothing written next to the input.
hostile="$work/hostile"
mkdir -p "$hostile"
printf 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n' >"$hostile/past_end.obj"
printf '\x00\x13\x37junk\xfe\x80' >"$hostile/junk.obj"
printf 'ply\nformat ascii 1.0\nelement vertex 2147483648\nend_header\n' >"$hostile/huge.ply"
printf '# vtk DataFile Version 3.0\nx\nASCII\nDATASET POLYDATA\nPOINTS 3 float\nnan 0 0 1 0 0 0 1 0\nPOLYGONS 1 4\n3 0 1 2\n' >"$hostile/nan.vtk"
printf 'MZ\x03\x00\x01\x00\x00\x00\xff\xff\xff\x7f\x00\x00\x00\x00' >"$hostile/huge.mz3"
printf '\x1f\x8b\x08\x00garbage' >"$hostile/corrupt.mz3"
printf '#!ascii\n3 1\n0 0 0 0\n1 0 0 0\n0 1 0 0\n0 1 -1 0\n' >"$hostile/negative.asc"
printf 'OFF\n0 0 0\n' >"$hostile/empty.off"
printf '\xff\xff\xfecreated\n\n\x00\x00\x00\x03\x00\x00\x00\x01' >"$hostile/lh.truncated"
printf '<?xml version="1.0"?>\n<GIFTI Version="1.0" NumberOfDataArrays="1"><DataArray' >"$hostile/cut.surf.gii"
printf 'OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 1\n' >"$hostile/repeated.off"
: >"$hostile/empty.ply"
before=$(ls -A "$hostile" | sort)
for f in "$hostile"/*; do
  name=$(basename "$f")
  for mode in text json output; do
    case $mode in
      text) args=(--mesh "$f") ;;
      json) args=(--mesh "$f" --json) ;;
      output) args=(--mesh "$f" --output "$hostile/clean.ply") ;;
    esac
    run "hostile $name ($mode)" 1 "${args[@]}" || continue
    lines=$(printf '%s\n' "$err" | grep -c .)
    if [ -n "$out" ]; then
      bad "hostile $name ($mode)" "printed to stdout: $out"
    elif [ "$lines" -ne 1 ]; then
      bad "hostile $name ($mode)" "expected one line on stderr, got: $err"
    elif [[ "$err" != "spectralbrain: error [rank 0]: $f: "* ]]; then
      bad "hostile $name ($mode)" "message does not name the file: $err"
    else
      ok "hostile $name ($mode): ${err#*: error \[rank 0\]: }"
    fi
  done
done
after=$(ls -A "$hostile" | sort)
if [ "$before" = "$after" ]; then ok "hostile: nothing written"; else bad "hostile: nothing written" "folder changed: $after"; fi
run missing 1 --mesh "$work/no_such_file.gii" && expect_in missing "$err" "file not found"

# 4. --output writes a cleaned mesh that checks clean; --largest-component keeps one.
printf 'OFF\n5 2 0\n9 9 9\n0 0 0\n1 0 0\n0 1 0\n0 1 0\n3 1 2 3\n3 1 3 2\n' >"$work/dirty.off"
run dirty 3 --mesh "$work/dirty.off" && expect_in dirty "$out" "used by no face"
run clean_write 3 --mesh "$work/dirty.off" --output "$work/clean.ply" && expect_in clean_write "$out" "wrote $work/clean.ply: 3 vertices, 1 faces"
run clean_check 0 --mesh "$work/clean.ply" && ok clean_check
run largest 0 --mesh "$data/cit168/CIT168.mz3" --output "$work/largest.surf.gii" --largest-component --json &&
  expect_in largest "$err" "4467 vertices"
run largest_check 0 --mesh "$work/largest.surf.gii" && expect_in largest_check "$out" "components                1 (vertices: 4467)"
ls -A "$work" | grep -q partial && bad no_partial "a temporary file was left" || ok no_partial
run unwritable 1 --mesh "$data/fsaverage5/lh.pial" --output "$work/no/such/dir/x.ply" &&
  expect_in unwritable "$err" "$work/no/such/dir/x.ply"
run bad_extension 1 --mesh "$data/fsaverage5/lh.pial" --output "$work/x.stl" && expect_in bad_extension "$err" "use .off, .ply or .gii"

# 5. Command line.
run no_mesh 1 && expect_in no_mesh "$err" "--mesh FILE is required"
run unknown_option 1 --mesh "$data/fsaverage5/lh.pial" --frobnicate && expect_in unknown_option "$err" "frobnicate"
run largest_without_output 1 --mesh "$data/fsaverage5/lh.pial" --largest-component && ok largest_without_output
run help 0 --help && expect_in help "$out" "Exit status:"

# 6. Two ranks: the report is printed once, the status is the same.
OMPI_MCA_rmaps_base_oversubscribe=1 "$mpiexec" -n 2 "$sb" check --mesh "$data/cit168/CIT168.mz3" >"$work/out2" 2>"$work/err2"
status=$?
count=$(grep -c "^mesh: " "$work/out2")
if [ "$status" -eq 0 ] && [ "$count" -eq 1 ]; then ok two_ranks; else bad two_ranks "exit $status, $count reports; $(cat "$work/err2")"; fi

# A write that fails on rank 0 fails on every rank, without aborting the job.
OMPI_MCA_rmaps_base_oversubscribe=1 "$mpiexec" -n 2 "$sb" check --mesh "$data/fsaverage5/lh.pial" \
  --output "$work/no/such/dir/x.ply" >"$work/out2" 2>"$work/err2"
status=$?
if [ "$status" -eq 1 ] && [ "$(grep -c 'error \[rank' "$work/err2")" -eq 2 ] && ! grep -q MPI_ABORT "$work/err2"; then
  ok two_ranks_write_failure
else
  bad two_ranks_write_failure "exit $status; $(cat "$work/err2")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
