package dev.blocks.webhooks.domain;

/** PENDING until delivered (DELIVERED) or given up on (FAILED: schedule used up, endpoint gone, disabled or deleted). */
public enum MessageStatus { PENDING, DELIVERED, FAILED }
