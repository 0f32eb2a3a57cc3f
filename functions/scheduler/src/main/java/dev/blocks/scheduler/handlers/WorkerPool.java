package dev.blocks.scheduler.handlers;

import java.util.concurrent.ExecutorService;

/** The threads a worker runs the messages of one batch on. */
record WorkerPool(ExecutorService executor) {}
