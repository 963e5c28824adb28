package dev.mockstorage.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import org.junit.jupiter.api.Test;

class PercentCodecTest {

    @Test
    void decodesEscapesAndKeepsPlus() {
        assertEquals("with space.txt", PercentCodec.decode("with%20space.txt"));
        assertEquals("plus+sign", PercentCodec.decode("plus%2Bsign"));
        assertEquals("a+b", PercentCodec.decode("a+b"));
        assertEquals("percent%2Fliteral", PercentCodec.decode("percent%252Fliteral"));
        assertEquals("double//slash", PercentCodec.decode("double/%2Fslash"));
        assertEquals("unicodé/日本.txt", PercentCodec.decode("unicod%C3%A9/%E6%97%A5%E6%9C%AC.txt"));
        assertEquals("lower é", PercentCodec.decode("lower%20%c3%a9"));
        assertEquals("raw 日本", PercentCodec.decode("raw%20日本"));
    }

    @Test
    void badEscapesAreInvalidUriNamingTheSequence() {
        for (String[] c : new String[][] {
            {"/bkt/%zz", "'%zz'"}, {"/bkt/%4", "'%4'"}, {"x%", "'%'"}, {"%G1", "'%G1'"}, {"%1１", "'%1１'"}
        }) {
            StorageException e = assertThrows(StorageException.class, () -> PercentCodec.decode(c[0]));
            assertEquals(ErrorCode.InvalidURI, e.code());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void invalidUtf8IsInvalidUriNamingTheBytes() {
        StorageException e = assertThrows(StorageException.class, () -> PercentCodec.decode("a%C3%28b"));
        assertEquals(ErrorCode.InvalidURI, e.code());
        assertTrue(e.getMessage().contains("'%C3%28'"), e.getMessage());
        assertThrows(StorageException.class, () -> PercentCodec.decode("%FF"));
        assertThrows(StorageException.class, () -> PercentCodec.decode("%E6%97"));
    }

    @Test
    void encodesAllButUnreservedWithUpperCaseHex() {
        assertEquals("AZaz09-._~", PercentCodec.encode("AZaz09-._~", false));
        assertEquals("a%2Fb%20c%2Bd%2A%25", PercentCodec.encode("a/b c+d*%", false));
        assertEquals("a/b%20c", PercentCodec.encode("a/b c", true));
        assertEquals("unicod%C3%A9/%E6%97%A5", PercentCodec.encode("unicodé/日", true));
        assertEquals("", PercentCodec.encode("", true));
    }

    @Test
    void encodeThenDecodeRoundTrips() {
        String s = "dir/with space+plus/q?mark#hash&amp=1;semi:colon@tilde~star*/日本é";
        assertEquals(s, PercentCodec.decode(PercentCodec.encode(s, false)));
        assertEquals(s, PercentCodec.decode(PercentCodec.encode(s, true)));
    }

    @Test
    void queryStringsSplitOnAmpersandAndFirstEquals() {
        assertEquals("[uploads=]", QueryString.parse("uploads").toString());
        assertEquals("[a=1, b=x=y, c=]", QueryString.parse("a=1&&b=x=y&c=").toString());
        assertEquals("[]", QueryString.parse("").toString());
        assertEquals("[]", QueryString.parse(null).toString());
        assertThrows(StorageException.class, () -> QueryString.parse("a=%zz"));
    }

    @Test
    void requestLinesAreParsedStrictly() {
        RawRequestLine l = RawRequestLine.parse("PUT /bkt/k%20x?partNumber=1&uploadId=u HTTP/1.1");
        assertEquals("PUT", l.method());
        assertEquals("/bkt/k%20x", l.rawPath());
        assertEquals("partNumber=1&uploadId=u", l.rawQuery());
        assertEquals(
                "/x", RawRequestLine.parse("GET http://host:9000/x HTTP/1.1").rawPath());
        assertEquals("", RawRequestLine.parse("GET /x? HTTP/1.0").rawQuery());
        for (String bad : new String[] {
            "GET /x", "GET  /x HTTP/1.1", "GET /x HTTP/2.0", "G(T /x HTTP/1.1", "GET /x HTTP/1.1 extra", ""
        }) {
            StorageException e = assertThrows(StorageException.class, () -> RawRequestLine.parse(bad), bad);
            assertEquals(ErrorCode.InvalidRequest, e.code());
        }
    }
}
