package dev.blocks.kit.ratelimit;

import java.util.ArrayList;
import java.util.List;

/** Sliding log: at most limit units admitted in any (now − window, now]. Every admission is kept. */
final class SlidingLogMeter implements Meter {

    private record Admission(long at, long cost, long receipt) {}

    private final long limit;
    private final long window;
    private final List<Admission> log = new ArrayList<>();
    private long sequence;

    SlidingLogMeter(Rule rule) {
        this.limit = rule.limit();
        this.window = rule.windowMillis();
    }

    @Override
    public long capacity() {
        return limit;
    }

    @Override
    public long remaining(long now) {
        long inWindow = 0;
        for (Admission a : log) {
            if (a.at() > now - window) {
                inWindow += a.cost();
            }
        }
        return limit - inWindow;
    }

    @Override
    public long record(long now, long cost) {
        log.removeIf(a -> a.at() <= now - window);
        sequence += cost;
        log.add(new Admission(now, cost, sequence));
        return sequence;
    }

    @Override
    public void refund(long now, long cost, long recordedAt, long receipt) {
        log.removeIf(a -> a.receipt() == receipt);
    }

    @Override
    public long horizon() {
        return window;
    }
}
