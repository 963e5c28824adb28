package dev.mockstorage.it;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a field holding {@link TestServer#create()}: JUnit starts that server in a temporary
 * directory of its own and stops it afterwards, the directory deleted.
 *
 * <ul>
 *   <li>On an instance field, each test gets a fresh server, started before the {@code @BeforeEach}
 *       methods and stopped after the {@code @AfterEach} ones. The default choice: nothing one test
 *       does can be seen by another.
 *   <li>On a static field, one server serves every test of the class (its {@code @Nested} classes
 *       included), started before the {@code @BeforeAll} methods and stopped after the
 *       {@code @AfterAll} ones. Faster, but the tests share its buckets, objects and journal, so each
 *       works on names of its own and none may assume an empty store.
 * </ul>
 *
 * A marked field that is not a {@code TestServer}, or holds null, fails the class naming the field.
 */
@Documented
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestServerExtension.class)
@interface StartStop {}
