package dev.blocks.scheduler.domain;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronConstraintsFactory;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/**
 * The two cron dialects a job may use, told apart by their field count: Unix crontab (5 fields: minute hour
 * day-of-month month day-of-week, 0 or 7 = Sunday) and EventBridge (6 fields: minutes hours day-of-month month
 * day-of-week year, 1 = Sunday, exactly one day field is {@code ?}, with {@code L}, {@code W} and {@code #}).
 * Parsing and the calendar arithmetic come from cron-utils.
 */
public enum CronSyntax {
    UNIX(5, CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX)),
    EVENTBRIDGE(6, eventBridge());

    private final int fields;
    private final CronParser parser;

    CronSyntax(int fields, CronDefinition definition) {
        this.fields = fields;
        this.parser = new CronParser(definition);
    }

    /** The dialect of an expression (bare fields, or EventBridge's {@code cron(...)} form); empty for a bad count. */
    public static java.util.Optional<CronSyntax> of(String expression) {
        int count = fieldsOf(expression).length;
        for (CronSyntax syntax : values()) {
            if (syntax.fields == count) {
                return java.util.Optional.of(syntax);
            }
        }
        return java.util.Optional.empty();
    }

    /** The fields of an expression, without EventBridge's {@code cron( )} wrapper. */
    static String[] fieldsOf(String expression) {
        String text = bare(expression);
        return text.isEmpty() ? new String[0] : text.split("\\s+");
    }

    static String bare(String expression) {
        String text = expression == null ? "" : expression.strip();
        if (text.startsWith("cron(") && text.endsWith(")")) {
            text = text.substring(5, text.length() - 1).strip();
        }
        return text;
    }

    /** @throws IllegalArgumentException with a readable reason when the expression is not valid in this dialect */
    Cron parse(String expression) {
        return parser.parse(String.join(" ", fieldsOf(expression))).validate();
    }

    private static CronDefinition eventBridge() {
        return CronDefinitionBuilder.defineCron()
                .withMinutes().withValidRange(0, 59).withStrictRange().and()
                .withHours().withValidRange(0, 23).withStrictRange().and()
                .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW().supportsQuestionMark().and()
                .withMonth().withValidRange(1, 12).and()
                .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL()
                .supportsQuestionMark().and()
                .withYear().withValidRange(1970, 2199).and()
                .withCronValidation(CronConstraintsFactory.ensureEitherDayOfWeekOrDayOfMonth())
                .instance();
    }
}
