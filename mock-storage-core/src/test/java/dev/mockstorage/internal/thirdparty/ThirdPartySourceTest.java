package dev.mockstorage.internal.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.config.Config;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** URL templates and which buckets read through; fetching itself is covered over real sockets in the it tests. */
class ThirdPartySourceTest {

    @Test
    void keysAreEncodedPerSegmentKeepingSlashes() {
        assertEquals(
                "http://h/b/dir/a%20b%2Bc%3F%23%25%C3%A9/x~y_z-.txt",
                ThirdPartySource.expand("http://h/{bucket}/{key}", "b", "dir/a b+c?#%é/x~y_z-.txt"));
        assertEquals(
                "http://h/static/%252F",
                ThirdPartySource.expand("http://h/static/{key}", "b", "%2F"), "a % in a key is data, not an escape");
        assertEquals("http://h/b//a/", ThirdPartySource.expand("http://h/{bucket}/{key}", "b", "/a/"));
    }

    @Test
    void bucketsReadThroughPerTheirTemplateTheGlobalOneOrTheScriptedUpstreamWhileItHasScripts() {
        try (ScriptedUpstream scripted = new ScriptedUpstream(null, Clock.systemUTC())) {
            Config.ThirdParty cfg = new Config.ThirdParty(
                    true,
                    null,
                    List.of(new Config.Bucket("own", "http://own/{key}"), new Config.Bucket("scripted", null)),
                    Map.of(),
                    1000,
                    0,
                    null);
            ThirdPartySource source = new ThirdPartySource(cfg, scripted);
            assertEquals("http://own/k", source.url("own", "k"));
            assertFalse(source.covers("scripted"), "no scripts: no read-through");
            assertNull(source.url("other", "k"));
            scripted.loadScripts("{\"response\": {\"status\": 200}}");
            assertTrue(source.covers("scripted"));
            assertEquals("http://127.0.0.1:" + scripted.port() + "/scripted/k", source.url("scripted", "k"));
            assertFalse(source.covers("other"), "not listed");
        }
        Config.ThirdParty off = new Config.ThirdParty(false, "http://h/{key}", null, Map.of(), 1000, 0, null);
        assertFalse(new ThirdPartySource(off, null).covers("any"));
        Config.ThirdParty global =
                new Config.ThirdParty(true, "http://h/{bucket}/{key}", null, Map.of(), 1000, 0, null);
        assertEquals("http://h/any/k", new ThirdPartySource(global, null).url("any", "k"));
    }
}
