package dev.mockstorage.junit5;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs {@link Fixture} classes through the Jupiter engine and reports what happened. */
final class Fixtures {

    private Fixtures() {}

    static EngineExecutionResults run(Class<?> fixture) {
        return run(fixture, Map.of());
    }

    static EngineExecutionResults run(Class<?> fixture, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(Fixture.PARAMETER, "true")
                .configurationParameters(parameters)
                .selectors(DiscoverySelectors.selectClass(fixture))
                .execute();
    }

    /** Every failure of tests and containers, for assertion messages. */
    static String failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream().map(Fixtures::describe).collect(Collectors.joining("\n"));
    }

    private static String describe(Event e) {
        return e.getTestDescriptor().getDisplayName() + ": "
                + e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(Throwable::toString)
                        .orElse("?");
    }
}
