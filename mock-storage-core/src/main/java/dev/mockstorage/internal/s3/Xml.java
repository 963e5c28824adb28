package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/** XML out (a tiny writer that escapes everything) and in (DOM with DTDs and external entities disabled). */
final class Xml {
    static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    /** Most bytes of an XML request body we read (DeleteObjects of 1000 long keys fits). */
    static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

    private final StringBuilder out = new StringBuilder(256).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    private final List<String> open = new ArrayList<>();

    /** Starts the root element in the S3 namespace. */
    static Xml document(String root) {
        Xml x = new Xml();
        x.out.append('<').append(root).append(" xmlns=\"").append(S3_NAMESPACE).append("\">");
        x.open.add(root);
        return x;
    }

    /** Starts a root element without a namespace (S3's Error documents have none). */
    static Xml plainDocument(String root) {
        Xml x = new Xml();
        x.out.append('<').append(root).append('>');
        x.open.add(root);
        return x;
    }

    Xml start(String name) {
        out.append('<').append(name).append('>');
        open.add(name);
        return this;
    }

    /** Starts an element with attributes: {@code attributes} are name, value, name, value, ... (values escaped). */
    Xml start(String name, String... attributes) {
        out.append('<').append(name);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"");
            escape(attributes[i + 1]);
            out.append('"');
        }
        out.append('>');
        open.add(name);
        return this;
    }

    Xml end() {
        out.append("</").append(open.remove(open.size() - 1)).append('>');
        return this;
    }

    /** An element with text; skipped when value is null. */
    Xml element(String name, Object value) {
        if (value != null) {
            out.append('<').append(name).append('>');
            escape(value.toString());
            out.append("</").append(name).append('>');
        }
        return this;
    }

    /** Text directly inside the innermost open element. */
    Xml text(String value) {
        escape(value);
        return this;
    }

    byte[] toBytes() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                case '\n' -> out.append("&#10;");
                case '\t' -> out.append("&#9;");
                default -> {
                    if (c < 0x20) {
                        // not representable in XML 1.0; S3 keys may hold them, clients ask for encoding-type=url then
                        out.append("&#xFFFD;");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ parsing

    /** Reads and parses an XML request body; {@code MalformedXML} when it is not well-formed, too large or uses a DTD. */
    static Element parse(InputStream body, String expectedRoot) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_REQUEST_BYTES + 1);
        } catch (IOException e) {
            throw new StorageException(
                    ErrorCode.IncompleteBody, "the XML request body could not be read: " + e.getMessage(), null, e);
        }
        if (bytes.length > MAX_REQUEST_BYTES) {
            throw new StorageException(
                    ErrorCode.MalformedXML, "the XML request body is larger than " + MAX_REQUEST_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw new StorageException(
                    ErrorCode.MissingRequestBodyError,
                    "Request Body is empty: expected a <" + expectedRoot + "> document");
        }
        Document doc;
        try {
            doc = builder().parse(new ByteArrayInputStream(bytes));
        } catch (SAXException | IOException e) {
            throw new StorageException(
                    ErrorCode.MalformedXML, "The XML you provided was not well-formed: " + e.getMessage(), null, e);
        }
        Element root = doc.getDocumentElement();
        if (!expectedRoot.equals(localName(root))) {
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "expected the root element <" + expectedRoot + "> but found <" + localName(root) + ">");
        }
        return root;
    }

    static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(localName(e))) {
                result.add(e);
            }
        }
        return result;
    }

    /** The text of the only child element {@code name} (trimmed), null without one; {@code MalformedXML} when there are several. */
    static String single(Element parent, String name) {
        List<Element> c = children(parent, name);
        if (c.size() > 1) {
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "The XML you provided was not well-formed or did not validate "
                            + "against our published schema: more than one <" + name + "> in <" + localName(parent)
                            + ">");
        }
        return c.isEmpty() ? null : c.get(0).getTextContent().trim();
    }

    static String childText(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0).getTextContent();
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler()); // fatal errors throw; nothing printed
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A response of {@code status} with {@code body} and S3's XML content type. */
    static HttpResponse response(int status, Xml body) {
        return HttpResponse.status(status)
                .header("Content-Type", "application/xml")
                .body(body.toBytes());
    }
}
