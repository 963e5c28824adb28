package dev.mockstorage.junit5.internal;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.junit5.MockStorage;
import dev.mockstorage.server.MockStorageServer;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension registered by {@code @MockStorage}. Stateless: every server lives in the store of the
 * context it belongs to (a test's for PER_METHOD and method annotations, the annotated class's for
 * PER_CLASS), as a {@link ServerResource} JUnit closes when that context ends.
 */
public final class MockStorageExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MockStorageExtension.class);
    /** Store key of a test's own server. */
    private static final String TEST_SERVER = "test-server";

    private static final String S3_CLIENT = "software.amazon.awssdk.services.s3.S3Client";
    private static final String S3_ASYNC_CLIENT = "software.amazon.awssdk.services.s3.S3AsyncClient";
    private static final boolean AWS_SDK = present(S3_CLIENT);

    /** Public for JUnit; use {@code @MockStorage}. */
    public MockStorageExtension() {}

    /** Store key of the server an annotated PER_CLASS class shares (unique per class, so nested ones never collide). */
    private record ClassServer(Class<?> annotatedClass) {}

    /** Which annotation applies to a context, and where it was found. */
    private record Applied(MockStorage annotation, String where, ExtensionContext classContext) {
        boolean perClass() {
            return classContext != null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Applied applied = applied(context);
        if (applied != null && applied.perClass() && applied.classContext() == context) {
            classServer(applied);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Applied applied = applied(context);
        if (applied == null) {
            return;
        }
        if (applied.perClass()) {
            classServer(applied);
        } else {
            context.getStore(NAMESPACE)
                    .put(TEST_SERVER, ServerResource.start(applied.annotation(), applied.where(), context, false));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Applied applied = applied(context);
        ServerResource server = applied == null ? null : find(context, applied);
        if (server == null) {
            return;
        }
        try {
            if (applied.annotation().failOnUnscriptedCalls()) {
                UnscriptedCalls.check(server.server().thirdParty());
            }
        } finally {
            if (applied.perClass()) {
                server.resetForNextTest();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == MockStorageRuntime.class
                || type == MockStorageServer.class
                || (AWS_SDK
                        && (type.getName().equals(S3_CLIENT) || type.getName().equals(S3_ASYNC_CLIENT)));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Applied applied = applied(context);
        if (applied == null) {
            throw new ParameterResolutionException("no @MockStorage applies to " + context.getDisplayName());
        }
        ServerResource server;
        if (applied.perClass()) {
            server = classServer(applied); // a PER_CLASS test instance is created before beforeAll callbacks
        } else {
            server = context.getTestMethod().isPresent() ? find(context, applied) : null;
            if (server == null) {
                throw new ParameterResolutionException("@MockStorage on " + applied.where()
                        + " starts a server per test,"
                        + " so " + parameter.getParameter().getType().getSimpleName() + " cannot be injected into "
                        + parameter.getDeclaringExecutable() + "; use @MockStorage(lifecycle = PER_CLASS) on the class"
                        + " to share one server with constructors and @BeforeAll/@AfterAll methods");
            }
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == MockStorageRuntime.class || type == MockStorageServer.class) {
            return server.server();
        }
        return server.awsClient(type);
    }

    /** The server of the context: the test's own, else the shared one of the annotated class (store lookups fall back to parents). */
    private static ServerResource find(ExtensionContext context, Applied applied) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        return applied.perClass()
                ? store.get(new ClassServer(applied.classContext().getRequiredTestClass()), ServerResource.class)
                : store.get(TEST_SERVER, ServerResource.class);
    }

    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: computeIfAbsent exists only from JUnit 6 on
    private static ServerResource classServer(Applied applied) {
        ExtensionContext owner = applied.classContext();
        return owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        new ClassServer(owner.getRequiredTestClass()),
                        k -> ServerResource.start(applied.annotation(), applied.where(), owner, true),
                        ServerResource.class);
    }

    /**
     * The method's annotation, else the nearest annotated class's, walking up through {@code @Nested}
     * enclosing classes; null when none applies.
     */
    private static Applied applied(ExtensionContext context) {
        Optional<MockStorage> onMethod =
                context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, MockStorage.class));
        if (onMethod.isPresent()) {
            String where = "method " + context.getRequiredTestMethod().getName() + "()";
            if (onMethod.get().lifecycle() == MockStorage.Lifecycle.PER_CLASS) {
                throw new ExtensionConfigurationException("@MockStorage(lifecycle = PER_CLASS) on " + where
                        + ": lifecycle PER_CLASS is only valid on a class; a method's server is always its own");
            }
            return new Applied(onMethod.get(), where, null);
        }
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<AnnotatedElement> element = c.getElement();
            if (element.isPresent() && element.get() instanceof Class<?> type) {
                Optional<MockStorage> onClass = AnnotationSupport.findAnnotation(type, MockStorage.class);
                if (onClass.isPresent()) {
                    boolean perClass = onClass.get().lifecycle() == MockStorage.Lifecycle.PER_CLASS;
                    return new Applied(onClass.get(), "class " + type.getName(), perClass ? c : null);
                }
            }
        }
        return null;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, MockStorageExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
