package dev.mockstorage.junit5;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a fixture class: run only through {@link Fixtures#run} (EngineTestKit), never on its own. Surefire
 * skips nested classes by name anyway; this keeps IDE runs of a whole package honest too. The
 * condition is evaluated before any extension callback, so a skipped fixture starts no server.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(Fixture.OnlyInEngineTestKit.class)
public @interface Fixture {

    /** The configuration parameter {@link Fixtures#run} sets. */
    String PARAMETER = "mockstorage.fixtures";

    /** Enabled only when the launcher carries {@link #PARAMETER}. */
    final class OnlyInEngineTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by EngineTestKit")
                    : ConditionEvaluationResult.disabled(
                            "a fixture of an extension test; runs only through EngineTestKit");
        }
    }
}
