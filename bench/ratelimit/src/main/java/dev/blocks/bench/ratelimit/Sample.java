package dev.blocks.bench.ratelimit;

/** One measured run: throughput and latency per decision. */
record Sample(String name, double perSecond, double p50Micros, double p99Micros) {}
