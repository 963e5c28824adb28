package dev.mockstorage.internal.remote;

import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Script bodies that cannot cross the wire as they are: a body file or classpath resource is read in this JVM
 * and carried inline, up to {@link #MAX_BYTES}; a larger one is refused, saying how to get it into the container.
 */
final class InlineBodies {
    /** The largest body a script carries inline over the admin API. */
    static final int MAX_BYTES = 8 * 1024 * 1024;

    private InlineBodies() {}

    /** A script whose file and classpath bodies are read here and carried inline. */
    static ThirdPartyScript inline(ThirdPartyScript script) {
        List<Reply> replies = new ArrayList<>();
        boolean changed = false;
        for (Reply r : script.replies()) {
            Reply inlined = inline(r);
            changed |= inlined != r;
            replies.add(inlined);
        }
        return changed ? new ThirdPartyScript(script.id(), script.match(), replies) : script;
    }

    private static Reply inline(Reply r) {
        if (r.bodyFile() != null) {
            Path file = r.bodyFile();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException(
                        "body file " + file + " does not exist or is not readable (it is read in "
                                + "this JVM and sent to the server inline)");
            }
            try {
                long size = Files.size(file);
                requireInlineSize(size, "Reply.bodyFromFile(" + file + ")");
                return r.body(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the body file " + file, e);
            }
        }
        if (r.bodyClasspath() != null) {
            String resource = r.bodyClasspath();
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = InlineBodies.class.getClassLoader();
            }
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("body resource " + resource
                            + " is not on the classpath (it is read " + "in this JVM and sent to the server inline)");
                }
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                requireInlineSize(bytes.length, "Reply.bodyFromClasspath(\"" + resource + "\")");
                return r.body(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the body resource " + resource, e);
            }
        }
        return r;
    }

    private static void requireInlineSize(long size, String what) {
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException(what + " has " + size + " bytes, more than the " + MAX_BYTES
                    + " a script can carry inline over the admin API; copy the file into the container"
                    + " (withCopyFileToContainer) and script it there with \"body_file\": \"/its/container/path\""
                    + " in withThirdPartyScript(...)");
        }
    }
}
