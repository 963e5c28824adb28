package dev.mockstorage.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.metadata.LifecycleRule;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When S3's lifecycle rules fall due, and which objects their filters select. */
class LifecycleRulesTest {

    private static LifecycleRule rule(String prefix, Map<String, String> tags, Long greater, Long less) {
        return new LifecycleRule(
                "r", true, LifecycleRule.AND, prefix, tags, greater, less, 30, null, null, null, null, null);
    }

    @Test
    void daysAfterAreRoundedUpToTheNextMidnightUtc() {
        assertEquals(
                Instant.parse("2026-02-01T00:00:00Z"),
                LifecycleRules.daysAfter(Instant.parse("2026-01-01T10:00:00Z"), 30));
        assertEquals(
                Instant.parse("2026-01-31T00:00:00Z"),
                LifecycleRules.daysAfter(Instant.parse("2026-01-01T00:00:00Z"), 30),
                "already at midnight: not a day more");
        assertEquals(
                Instant.parse("2026-01-02T00:00:00Z"),
                LifecycleRules.daysAfter(Instant.parse("2026-01-01T00:00:00.001Z"), 0));
    }

    @Test
    void aFilterSelectsWhenEveryConditionHolds() {
        LifecycleRule r = rule("logs/", Map.of("env", "dev"), 10L, 100L);
        assertTrue(LifecycleRules.selects(r, "logs/a", 50, Map.of("env", "dev", "other", "x")));
        assertFalse(LifecycleRules.selects(r, "data/a", 50, Map.of("env", "dev")), "prefix");
        assertFalse(LifecycleRules.selects(r, "logs/a", 50, Map.of("env", "prod")), "tag value");
        assertFalse(LifecycleRules.selects(r, "logs/a", 10, Map.of("env", "dev")), "greater than is strict");
        assertFalse(LifecycleRules.selects(r, "logs/a", 100, Map.of("env", "dev")), "less than is strict");
        LifecycleRule disabled = new LifecycleRule(
                "d", false, LifecycleRule.FILTER, null, Map.of(), null, null, 1, null, null, null, null, null);
        assertFalse(LifecycleRules.selects(disabled, "anything", 1, Map.of()));
        assertTrue(LifecycleRules.selectsKey(rule("logs/", Map.of(), null, null), "logs/x"));
        assertFalse(LifecycleRules.selectsKey(r, "logs/x"), "a delete marker or upload has no tags or size to match");
    }
}
