package dev.mockstorage.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/**
 * The build runs these tests on three JUnit versions (this module: the parent's 5.x; mock-storage-junit5-jupiter510:
 * the oldest supported 5.10; mock-storage-junit5-jupiter6: 6.x): check that the one asked for is the one running,
 * to the exact version, so that a dependency that drags in another JUnit cannot make a run test the wrong line.
 */
class JupiterVersionTest {

    @Test
    void runsOnTheJupiterVersionTheBuildAsksFor() {
        String expected = System.getProperty("mockstorage.expectedJupiterVersion");
        assertNotNull(expected, "the build sets mockstorage.expectedJupiterVersion");
        assertEquals(expected, Test.class.getPackage().getImplementationVersion(), "JUnit Jupiter running");
    }
}
