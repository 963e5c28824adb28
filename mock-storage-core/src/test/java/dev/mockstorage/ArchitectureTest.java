package dev.mockstorage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The layering of DESIGN.md as executable rules; INVARIANTS.md at the repository root lists them.
 * Production classes only. Rules about packages that are still empty allow an empty "should".
 */
@AnalyzeClasses(packages = "dev.mockstorage", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String INTERNAL = "dev.mockstorage.internal.";
    private static final String HTTP = INTERNAL + "http..";
    private static final String S3 = INTERNAL + "s3..";
    private static final String ADMIN = INTERNAL + "admin..";
    private static final String SERVICE = INTERNAL + "service..";
    private static final String METADATA = INTERNAL + "metadata..";
    private static final String CLI = INTERNAL + "cli..";
    private static final String THIRD_PARTY = INTERNAL + "thirdparty..";
    private static final String OBSERVE = INTERNAL + "observe..";
    private static final String AUTH = INTERNAL + "auth..";
    private static final String CONTRACT = INTERNAL + "contract..";

    @ArchTest
    static final ArchRule onlyHttpImportsNanoHttpd = noClasses()
            .that()
            .resideOutsideOfPackage(HTTP)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("fi.iki.elonen..")
            .because("NanoHTTPD needs workarounds (see notes/nanohttpd.md) that must live in one adapter; "
                    + "handlers take our own HttpRequest/HttpResponse so they are testable without sockets");

    @ArchTest
    static final ArchRule onlyMetadataUsesSql = noClasses()
            .that()
            .resideOutsideOfPackage(METADATA)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..")
            .because("metadata is the only SQL in the codebase: schema, migrations and transactions in one place");

    @ArchTest
    static final ArchRule serviceDoesNotKnowTheProtocol = noClasses()
            .that()
            .resideInAPackage(SERVICE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(HTTP, S3, ADMIN)
            .because("flows run the same for S3 requests, admin calls and in-process tests; "
                    + "the protocol layers call services, never the other way round")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule lowerLayersDoNotReachUp = noClasses()
            .that()
            .resideInAnyPackage(
                    INTERNAL + "storage..",
                    METADATA,
                    INTERNAL + "checksum..",
                    INTERNAL + "error..",
                    INTERNAL + "config..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(HTTP, S3, ADMIN, SERVICE)
            .because("storage, metadata, checksum, error and config sit below the services; "
                    + "a dependency upward would make a cycle and tie them to one protocol")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule thirdPartyKnowsNoServerLayers = noClasses()
            .that()
            .resideInAPackage(THIRD_PARTY)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(HTTP, S3, ADMIN, SERVICE, METADATA, INTERNAL + "storage..", INTERNAL + "queue..")
            .because("the third party is reached over plain HTTP (java.net.http) and answers from scripts: "
                    + "the service calls it and stores what it returns, never the other way round");

    @ArchTest
    static final ArchRule thirdPartyScriptsArePlainData = noClasses()
            .that()
            .resideInAPackage("dev.mockstorage.thirdparty..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.mockstorage.internal..", "dev.mockstorage")
            .because("scripts, matches and recorded calls are public plain values with a JSON form, used in-process, "
                    + "over the admin API and by the other modules; they must not drag in the server");

    @ArchTest
    static final ArchRule observationKnowsOnlyHttp = noClasses()
            .that()
            .resideInAPackage(OBSERVE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(S3, ADMIN, SERVICE, METADATA, INTERNAL + "storage..", INTERNAL + "queue..")
            .because("observe sees each request once, as the http adapter delivered it; the protocol layers "
                    + "tell it what they did through response attributes, and figures come in as ServerStats");

    // auth: strict signature mode
    @ArchTest
    static final ArchRule authKnowsOnlyHttpAndErrors = noClasses()
            .that()
            .resideInAPackage(AUTH)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    S3,
                    ADMIN,
                    SERVICE,
                    METADATA,
                    INTERNAL + "storage..",
                    INTERNAL + "queue..",
                    THIRD_PARTY,
                    OBSERVE,
                    CLI,
                    INTERNAL + "config..",
                    "dev.mockstorage",
                    "dev.mockstorage.server")
            .because(
                    "signature checking needs the request as the adapter delivered it (http) and the error vocabulary; "
                            + "body checks reach the adapter through its BodyVerifier hook, so http never depends on auth");

    @ArchTest
    static final ArchRule onlyTheS3ApiChecksSignatures = noClasses()
            .that()
            .resideOutsideOfPackages(AUTH, S3, "dev.mockstorage.server")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(AUTH)
            .because(
                    "signatures are checked by the S3 API before dispatch (the composition root builds the checker and "
                            + "hands the admin API its check as a plain function, so admin does not know auth); the adapter is not "
                            + "behind it");

    // console: the web console's files
    @ArchTest
    static final ArchRule theConsoleServesFilesOnly = noClasses()
            .that()
            .resideInAPackage(INTERNAL + "console..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    S3,
                    ADMIN,
                    SERVICE,
                    METADATA,
                    INTERNAL + "storage..",
                    INTERNAL + "queue..",
                    THIRD_PARTY,
                    OBSERVE,
                    AUTH,
                    CLI,
                    INTERNAL + "config..",
                    "dev.mockstorage")
            .because("the console is static files served over http; its pages reach the store through the admin API "
                    + "like any other client, so nothing on the server is written for the console alone");

    @ArchTest
    static final ArchRule httpKnowsNoObserver = noClasses()
            .that()
            .resideInAPackage(HTTP)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(OBSERVE, S3, ADMIN, SERVICE)
            .because("the adapter offers a completion hook and attributes; what is done with them is not its business");

    @ArchTest
    static final ArchRule publicDataPackagesAreLeaves = noClasses()
            .that()
            .resideInAnyPackage(
                    "dev.mockstorage.journal..", "dev.mockstorage.stats..", "dev.mockstorage.verification..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.mockstorage.internal..")
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.mockstorage")
            .because("journal, stats and verification are plain data with JDK types only, implementable over the "
                    + "admin API by the container module");

    @ArchTest
    static final ArchRule verificationIsALeaf = noClasses()
            .that()
            .resideInAPackage("dev.mockstorage.verification..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.mockstorage.journal..", "dev.mockstorage.thirdparty..", "dev.mockstorage.stats..")
            .because("Times and the nearest-miss ranking serve the journal and the third party alike; "
                    + "a dependency back on either would make a package cycle");

    @ArchTest
    static final ArchRule theRemoteHandleKnowsOnlyThePublicApi = noClasses()
            .that()
            .resideInAPackage(INTERNAL + "remote..")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.mockstorage.internal..")
                    .and(JavaClass.Predicates.resideOutsideOfPackages(INTERNAL + "remote..", CONTRACT)))
            .because("the remote handle (HttpAdminClient) talks to a server in another process over the admin "
                    + "API only: its route table and JSON, public types, JDK; reaching into the server's layers would "
                    + "only work in-process");

    @ArchTest
    static final ArchRule theAdminContractKnowsOnlyThePublicApi = noClasses()
            .that()
            .resideInAPackage(CONTRACT)
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.mockstorage.internal..")
                    .and(JavaClass.Predicates.resideOutsideOfPackage(CONTRACT)))
            .because("the admin route table and its JSON are shared by the server and the remote handle, which "
                    + "lives in mock-storage-client: public types, JDK and Jackson only");

    @ArchTest
    static final ArchRule theServerIsWiredOnce = fields().that()
            .areDeclaredInClassesThat()
            .resideInAPackage("dev.mockstorage.server")
            .and()
            .areDeclaredInClassesThat()
            .doNotHaveSimpleName("Builder")
            .should()
            .beFinal()
            .because("the server's parts are built once, in order, by Wiring and handed to what needs them at "
                    + "construction; a field set later is a setter wiring an earlier part into a later one");

    @ArchTest
    static final ArchRule timeComesFromTheServersClock = noClasses()
            .that()
            .doNotHaveFullyQualifiedName("dev.mockstorage.internal.clock.ServerClock")
            .and()
            .doNotHaveFullyQualifiedName("dev.mockstorage.server.Wiring")
            .and()
            .doNotHaveFullyQualifiedName("dev.mockstorage.internal.metadata.TaskTable")
            .and()
            .doNotHaveFullyQualifiedName("dev.mockstorage.internal.service.ConsistencyCheck")
            .and()
            .doNotHaveFullyQualifiedName("dev.mockstorage.internal.http.RawResponse")
            .and()
            .doNotHaveFullyQualifiedName("dev.mockstorage.internal.remote.AdminSigner")
            .should()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(java.time.Instant.class, "now")
            .orShould()
            .callMethod(java.time.Clock.class, "systemUTC")
            .orShould()
            .callMethod(java.time.Clock.class, "systemDefaultZone")
            .orShould()
            .callMethod(java.time.LocalDate.class, "now")
            .orShould()
            .callMethod(java.time.LocalDateTime.class, "now")
            .orShould()
            .callMethod(java.time.OffsetDateTime.class, "now")
            .orShould()
            .callMethod(java.time.ZonedDateTime.class, "now")
            .because("everything decided by the date reads the server's one clock (ServerClock), which tests move "
                    + "forward; only what measures time that really passes reads the system's: the task queue's "
                    + "schedule (Wiring hands it the system clock, TaskTable stamps its rows), the age of blob files "
                    + "(ConsistencyCheck), the HTTP Date header (RawResponse), the signature skew check (Wiring) and the "
                    + "time the remote handle signs admin calls with (AdminSigner), which that check compares");

    @ArchTest
    static final ArchRule nothingDependsOnTheCommandLine = noClasses()
            .that()
            .resideOutsideOfPackage(CLI)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(CLI)
            .because("cli is the standalone jar's entry point on top of the public API; "
                    + "the embedded server must work without it");

    @ArchTest
    static final ArchRule coreKnowsNoTestFramework = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.junit..", "org.testcontainers..", "software.amazon.awssdk..")
            .because("core runs in users' test JVMs and in the image: JUnit, Testcontainers and the "
                    + "AWS SDK belong to the other modules or to tests");

    @ArchTest
    static final ArchRule internalPackagesAreFreeOfCycles = slices().matching("dev.mockstorage.internal.(*)..")
            .should()
            .beFreeOfCycles()
            .because("layering is one direction: http -> s3|admin -> service -> metadata/storage/queue/thirdparty");

    /**
     * The package rule above cannot see cycles between the classes of one package (a flow class that calls
     * a helper which calls back into it): here each top-level class (its nested classes counted with it)
     * may not reach itself again through classes of its own package.
     */
    @ArchTest
    static void noClassCyclesInsideAPackage(JavaClasses classes) {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = topLevel(c);
            Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                String other = topLevel(target);
                if (!other.equals(from)
                        && target.getPackageName().equals(c.getPackageName())
                        && target.getPackageName().startsWith("dev.mockstorage")) {
                    to.add(other);
                }
            }
        }
        List<List<String>> cycles = new ArrayList<>();
        for (String start : edges.keySet()) {
            List<String> path = cycleBack(start, start, edges, new ArrayList<>(List.of(start)), new TreeSet<>());
            if (path != null
                    && path.stream().min(String::compareTo).orElseThrow().equals(start)) {
                cycles.add(path); // each cycle once, from its smallest class name
            }
        }
        if (!cycles.isEmpty()) {
            throw new AssertionError("classes of one package that depend on each other in a cycle (split out what both"
                    + " need, or pass it in):\n  "
                    + String.join(
                            "\n  ",
                            cycles.stream().map(c -> String.join(" -> ", c)).toList()));
        }
    }

    private static String topLevel(JavaClass c) {
        JavaClass outer = c;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer.getName();
    }

    /** A path from {@code at} back to {@code start}, or null. */
    private static List<String> cycleBack(
            String start, String at, Map<String, Set<String>> edges, List<String> path, Set<String> seen) {
        for (String next : edges.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleBack(start, next, edges, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    @ArchTest
    static final ArchRule publicApiExposesNoInternalTypes = methods()
            .that()
            .areDeclaredInClassesThat()
            .resideInAnyPackage(
                    "dev.mockstorage",
                    "dev.mockstorage.server",
                    "dev.mockstorage.thirdparty",
                    "dev.mockstorage.journal",
                    "dev.mockstorage.stats",
                    "dev.mockstorage.verification")
            .and()
            .areDeclaredInClassesThat()
            .arePublic()
            .and()
            .arePublic()
            .should(notMentionInternalTypes())
            .because("users get no compatibility promise for internal packages, "
                    + "so the public API must not make them depend on one");

    private static ArchCondition<JavaMethod> notMentionInternalTypes() {
        return new ArchCondition<>("not take or return dev.mockstorage.internal types") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                boolean internal = isInternal(method.getRawReturnType())
                        || method.getRawParameterTypes().stream().anyMatch(ArchitectureTest::isInternal);
                if (internal) {
                    events.add(SimpleConditionEvent.violated(
                            method, method.getFullName() + " exposes an internal type in its signature"));
                }
            }
        };
    }

    private static boolean isInternal(JavaClass type) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        return base.getPackageName().startsWith("dev.mockstorage.internal");
    }
}
