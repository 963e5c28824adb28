package dev.mockstorage.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.CorsRule;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CORS rule checks and matching without a server. */
class CorsRulesTest {

    private static CorsRule rule(String id, List<String> origins, List<String> methods, List<String> headers) {
        return new CorsRule(id, origins, methods, headers, List.of(), null);
    }

    @Test
    void oneWildcardMatchesAnyRunOfCharactersButPrefixAndSuffixMayNotOverlap() {
        assertTrue(CorsRules.matches("http://*.example.com", "http://a.example.com"));
        assertTrue(CorsRules.matches("http://*.example.com", "http://a.b.example.com"));
        assertFalse(CorsRules.matches("http://*.example.com", "http://example.com"));
        assertFalse(CorsRules.matches("http://*.example.com", "https://a.example.com"));
        assertTrue(CorsRules.matches("*", ""));
        assertTrue(CorsRules.matches("ab*ba", "abba"));
        assertFalse(CorsRules.matches("ab*ba", "aba"), "prefix and suffix may not share characters");
        assertTrue(CorsRules.matches("exact", "exact"));
        assertFalse(CorsRules.matches("exact", "Exact"));
    }

    @Test
    void firstRuleAllowingOriginMethodAndEveryHeaderWins() {
        List<CorsRule> rules = List.of(
                rule("a", List.of("http://a.test"), List.of("GET"), List.of("X-Amz-*")),
                rule("b", List.of("*"), List.of("GET", "PUT"), List.of()));
        assertEquals(
                "a",
                CorsRules.match(rules, "http://a.test", "GET", List.of("x-amz-date"))
                        .orElseThrow()
                        .id());
        assertEquals(
                "b",
                CorsRules.match(rules, "http://a.test", "PUT", List.of())
                        .orElseThrow()
                        .id());
        assertEquals(Optional.empty(), CorsRules.match(rules, "http://a.test", "GET", List.of("x-amz-date", "range")));
        assertEquals(
                "a",
                CorsRules.match(rules, "http://a.test", "GET", null)
                        .orElseThrow()
                        .id(),
                "actual requests skip headers");
        assertEquals(Optional.empty(), CorsRules.match(rules, "http://a.test", "DELETE", null));
    }

    @Test
    void validationNamesWhatIsWrong() {
        assertEquals(
                ErrorCode.MalformedXML,
                assertThrows(StorageException.class, () -> CorsRules.validate(List.of()))
                        .code());
        assertEquals(
                ErrorCode.MalformedXML,
                assertThrows(
                                StorageException.class,
                                () -> CorsRules.validate(List.of(rule(null, List.of("*"), List.of(), List.of()))))
                        .code());
        StorageException method = assertThrows(
                StorageException.class,
                () -> CorsRules.validate(List.of(rule(null, List.of("*"), List.of("OPTIONS"), List.of()))));
        assertEquals(ErrorCode.InvalidRequest, method.code());
        assertTrue(method.getMessage().contains("OPTIONS"), method.getMessage());
        assertEquals(
                ErrorCode.InvalidArgument,
                assertThrows(
                                StorageException.class,
                                () -> CorsRules.validate(
                                        List.of(rule("x".repeat(256), List.of("*"), List.of("GET"), List.of()))))
                        .code());
        assertEquals(
                1,
                CorsRules.validate(List.of(rule("x".repeat(255), List.of("*"), List.of("GET"), List.of("*"))))
                        .size());
    }
}
