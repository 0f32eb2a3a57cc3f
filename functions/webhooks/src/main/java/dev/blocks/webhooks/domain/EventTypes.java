package dev.blocks.webhooks.domain;

import java.util.List;

/**
 * Event type names ({@code invoice.paid}) and endpoint subscriptions: a subscription lists types, a
 * {@code prefix.*} for a family, or {@code *} for everything.
 */
public final class EventTypes {

    public static final String ALL = "*";
    private static final String TYPE = "[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*";

    private EventTypes() {}

    public static boolean validType(String type) {
        return type != null && type.length() <= 128 && type.matches(TYPE);
    }

    public static boolean validFilter(String filter) {
        return filter != null && (filter.equals(ALL) || validType(filter)
                || (filter.endsWith(".*") && filter.length() <= 130 && validType(filter.substring(0, filter.length() - 2))));
    }

    public static boolean subscribed(List<String> filters, String type) {
        for (String filter : filters) {
            if (filter.equals(ALL) || filter.equals(type)
                    || (filter.endsWith(".*") && type.startsWith(filter.substring(0, filter.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
