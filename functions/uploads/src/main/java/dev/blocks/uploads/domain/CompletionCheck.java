package dev.blocks.uploads.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides whether a multipart upload may be completed: the client must claim every part of the plan exactly
 * once, and S3 (ListParts, never the client's word) must hold each claimed part with the claimed ETag and the
 * planned size. A client that says "done" without having uploaded is refused here, before anything is marked.
 *
 * @param problems what is wrong, one line each; empty when the upload may be completed
 * @param parts the parts to complete with, in part-number order, when there are no problems
 */
public record CompletionCheck(List<String> problems, List<ClaimedPart> parts) {

    public boolean complete() {
        return problems.isEmpty();
    }

    public static CompletionCheck of(PartPlan plan, List<ClaimedPart> claimed, List<Part> uploaded) {
        List<String> problems = new ArrayList<>();
        Map<Integer, ClaimedPart> claims = new TreeMap<>();
        TreeSet<Integer> duplicates = new TreeSet<>();
        TreeSet<Integer> outOfPlan = new TreeSet<>();
        for (ClaimedPart part : claimed) {
            if (part.partNumber() < 1 || part.partNumber() > plan.partCount()) {
                outOfPlan.add(part.partNumber());
            } else if (claims.putIfAbsent(part.partNumber(), part) != null) {
                duplicates.add(part.partNumber());
            }
        }
        if (!outOfPlan.isEmpty()) {
            problems.add("parts " + ranges(outOfPlan) + " are not in 1.." + plan.partCount());
        }
        if (!duplicates.isEmpty()) {
            problems.add("parts " + ranges(duplicates) + " are claimed more than once");
        }
        TreeSet<Integer> unclaimed = new TreeSet<>();
        for (int n = 1; n <= plan.partCount(); n++) {
            if (!claims.containsKey(n)) {
                unclaimed.add(n);
            }
        }
        if (!unclaimed.isEmpty()) {
            problems.add("parts " + ranges(unclaimed) + " are not claimed; all " + plan.partCount() + " are needed");
        }
        Map<Integer, Part> held = new TreeMap<>();
        uploaded.forEach(p -> held.put(p.partNumber(), p));
        TreeSet<Integer> missing = new TreeSet<>();
        TreeSet<Integer> otherETag = new TreeSet<>();
        TreeSet<Integer> otherSize = new TreeSet<>();
        for (ClaimedPart claim : claims.values()) {
            Part part = held.get(claim.partNumber());
            if (part == null) {
                missing.add(claim.partNumber());
            } else if (!part.eTag().equals(claim.eTag())) {
                otherETag.add(claim.partNumber());
            } else if (part.size() != plan.sizeOf(claim.partNumber())) {
                otherSize.add(claim.partNumber());
            }
        }
        if (!missing.isEmpty()) {
            problems.add("parts " + ranges(missing) + " were not uploaded");
        }
        if (!otherETag.isEmpty()) {
            problems.add("parts " + ranges(otherETag) + " have another ETag in S3 than claimed");
        }
        if (!otherSize.isEmpty()) {
            problems.add("parts " + ranges(otherSize) + " do not have their planned size");
        }
        return new CompletionCheck(List.copyOf(problems), problems.isEmpty() ? List.copyOf(claims.values()) : List.of());
    }

    /** {@code 1-3, 7}: compact even when thousands of parts are missing. */
    static String ranges(TreeSet<Integer> numbers) {
        StringBuilder out = new StringBuilder();
        Integer start = null;
        Integer previous = null;
        for (int n : numbers) {
            if (start == null) {
                start = n;
            } else if (n != previous + 1) {
                append(out, start, previous);
                start = n;
            }
            previous = n;
        }
        if (start != null) {
            append(out, start, previous);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, int start, int end) {
        if (!out.isEmpty()) {
            out.append(", ");
        }
        out.append(start == end ? Integer.toString(start) : start + "-" + end);
    }
}
