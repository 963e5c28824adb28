package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mockstorage.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.function.Executable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Response;

/** Assertions on S3 wire-level answers: error XML, request ids, SDK exceptions. */
final class S3Assertions {

    private S3Assertions() {}

    /** Parses XML with the JDK parser, DOCTYPEs refused (a server must never send one). */
    static Document parseXml(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new AssertionError(
                    "response body is not well-formed XML: " + new String(xml, StandardCharsets.UTF_8), e);
        }
    }

    /** Text of the first element with this local name, or null. */
    static String text(Document doc, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS("*", localName);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    /** Texts of all elements with this local name, in document order. */
    static List<String> texts(Document doc, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS("*", localName);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    /** Texts of {@code child} elements directly under each {@code parent} element, e.g. Contents/Key. */
    static List<String> childTexts(Document doc, String parent, String child) {
        NodeList parents = doc.getElementsByTagNameNS("*", parent);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parents.getLength(); i++) {
            NodeList kids = ((Element) parents.item(i)).getElementsByTagNameNS("*", child);
            if (kids.getLength() > 0) {
                out.add(kids.item(0).getTextContent());
            }
        }
        return out;
    }

    /**
     * Asserts an S3 error response: the status, an {@code x-amz-request-id} header, and a body
     * {@code <Error><Code>code</Code><Message>non-empty</Message>...</Error>}.
     */
    static Document assertS3Error(RawHttp.Response response, int status, String code) {
        return assertS3Error(response, status, Set.of(code));
    }

    /** As {@link #assertS3Error(RawHttp.Response, int, String)}, for cases S3 leaves a choice of code. */
    static Document assertS3Error(RawHttp.Response response, int status, Set<String> codes) {
        assertEquals(status, response.status(), () -> "status of " + response);
        assertRequestIdHeader(response);
        Document doc = parseXml(response.body());
        assertEquals("Error", doc.getDocumentElement().getLocalName(), () -> "root element of " + response);
        String code = text(doc, "Code");
        assertTrue(codes.contains(code), () -> "expected error code " + codes + " but was " + code + " in " + response);
        String message = text(doc, "Message");
        assertNotNull(message, () -> "<Message> missing in " + response);
        assertFalse(message.isBlank(), () -> "<Message> empty in " + response);
        return doc;
    }

    /** An S3 error XML with this status and any code (for inputs where S3 leaves the code open). */
    static Document assertS3ErrorAnyCode(RawHttp.Response response, int status) {
        assertEquals(status, response.status(), () -> "status of " + response);
        assertRequestIdHeader(response);
        Document doc = parseXml(response.body());
        assertEquals("Error", doc.getDocumentElement().getLocalName(), () -> "root element of " + response);
        String code = text(doc, "Code");
        assertNotNull(code, () -> "<Code> missing in " + response);
        assertFalse(code.isBlank(), () -> "<Code> empty in " + response);
        String message = text(doc, "Message");
        assertNotNull(message, () -> "<Message> missing in " + response);
        assertFalse(message.isBlank(), () -> "<Message> empty in " + response);
        return doc;
    }

    /** Every response, success or error, carries a non-empty {@code x-amz-request-id}. */
    static void assertRequestIdHeader(RawHttp.Response response) {
        String id = response.header("x-amz-request-id");
        assertNotNull(id, () -> "x-amz-request-id missing in " + response);
        assertFalse(id.isBlank(), () -> "x-amz-request-id empty in " + response);
    }

    /** The SDK found an {@code x-amz-request-id} on this response (it reports "UNKNOWN" otherwise). */
    static void assertRequestId(S3Response response) {
        String id = response.responseMetadata().requestId();
        assertNotNull(id);
        assertNotEquals("UNKNOWN", id, "x-amz-request-id missing on " + response);
    }

    /**
     * Runs an SDK call that must fail with this status and S3 error code ({@code code} null for
     * HEAD requests, whose errors have no body), a non-empty message and a request id.
     */
    static S3Exception assertSdkError(int status, String code, Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(status, e.statusCode(), () -> "status of " + e);
        assertNotNull(e.requestId(), () -> "request id of " + e);
        assertNotEquals("UNKNOWN", e.requestId(), () -> "x-amz-request-id missing on " + e);
        if (code != null) {
            assertEquals(code, e.awsErrorDetails().errorCode(), () -> "error code of " + e);
            String message = e.awsErrorDetails().errorMessage();
            if (message == null || message.isBlank()) {
                fail("error without <Message>: " + e);
            }
        }
        return e;
    }
}
