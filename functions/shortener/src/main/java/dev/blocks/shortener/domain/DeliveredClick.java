package dev.blocks.shortener.domain;

/** A click with where the stream delivered it from: what makes applying a batch twice detectable. */
public record DeliveredClick(Click click, int partition, long offset) {}
