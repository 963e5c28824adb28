package dev.mockstorage.junit5;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The build runs these tests on two JUnit lines (this module: 5.x; mock-storage-junit5-jupiter6: 6.x): check which one runs. */
class JupiterVersionTest {

    @Test
    void runsOnTheJupiterLineTheBuildAsksFor() {
        String expected = System.getProperty("mockstorage.expectedJupiterMajor");
        String actual = Test.class.getPackage().getImplementationVersion();
        assertTrue(expected == null || (actual != null && actual.startsWith(expected + ".")),
                "expected JUnit Jupiter " + expected + ".x, running on " + actual);
    }
}
