package dev.mockstorage.it;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Starts the {@link TestServer} of each {@link StartStop} field: a static field's before all tests
 * of its class, an instance field's before each test. The running server goes into the store of that
 * class's or test's {@link ExtensionContext}, which closes it (and deletes its directory) when the
 * class or the test is done; the extension itself keeps nothing.
 */
final class TestServerExtension implements BeforeAllCallback, BeforeEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TestServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        for (Field field : marked(context.getRequiredTestClass(), field -> Modifier.isStatic(field.getModifiers()))) {
            start(context, field, null);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field field : marked(instance.getClass(), field -> !Modifier.isStatic(field.getModifiers()))) {
                start(context, field, instance);
            }
        }
    }

    private static Iterable<Field> marked(Class<?> testClass, Predicate<Field> which) {
        return AnnotationSupport.findAnnotatedFields(
                testClass, StartStop.class, which, HierarchyTraversalMode.TOP_DOWN);
    }

    private static void start(ExtensionContext context, Field field, Object instance) throws Exception {
        String name = field.getDeclaringClass().getSimpleName() + "." + field.getName();
        if (field.getType() != TestServer.class) {
            throw new ExtensionConfigurationException("@StartStop field " + name + " is a "
                    + field.getType().getSimpleName() + "; it must be a TestServer");
        }
        field.setAccessible(true);
        TestServer server = (TestServer) field.get(instance);
        if (server == null) {
            throw new ExtensionConfigurationException(
                    "@StartStop field " + name + " holds null; give it TestServer.create()");
        }
        server.startInTemporaryDirectory();
        context.getStore(NAMESPACE).put(server, server);
    }
}
