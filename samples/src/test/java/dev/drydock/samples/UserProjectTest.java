package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The README shows the user project of {@code src/it/user-project} (which the invoker builds and runs in
 * {@code mvn verify}) as it is: its test file under "A test"; under "Use it in your project", its pom with the build's
 * versions filled in and the dependency snippet taken from that pom. So the README cannot drift from what compiles
 * and runs.
 */
class UserProjectTest {

    private static final Path ROOT = Path.of("..");
    private static final Path USER_PROJECT = Path.of("src/it/user-project");
    private static final Pattern TOKEN = Pattern.compile("@([\\w.-]+)@");

    @Test
    void theReadmeShowsTheUserProjectsTestAsItIs() throws Exception {
        List<CodeBlock> blocks = codeBlocks(section(readme(), "## A test"));

        List<String> java = blocks.stream().filter(b -> b.language.equals("java")).map(b -> b.text)
                .collect(Collectors.toList());
        assertThat(java).containsExactly(
                Files.readString(USER_PROJECT.resolve("src/test/java/com/example/WebTest.java")));
    }

    @Test
    void theReadmeShowsTheUserProjectsPomAsItIsAndTheSnippetComesFromIt() throws Exception {
        String pom = filtered(Files.readString(USER_PROJECT.resolve("pom.xml")));
        List<CodeBlock> xml = codeBlocks(section(readme(), "## Use it in your project")).stream()
                .filter(b -> b.language.equals("xml")).collect(Collectors.toList());

        assertThat(xml).hasSizeGreaterThanOrEqualTo(2);
        assertThat(xml.get(xml.size() - 1).text).as("the README's whole pom").isEqualTo(pom);
        for (CodeBlock snippet : xml.subList(0, xml.size() - 1)) {
            assertThat(Collections.indexOfSubList(strippedLines(pom), strippedLines(snippet.text)))
                    .as("where the README's snippet is in the user project's pom:%n%s", snippet.text).isNotNegative();
        }
    }

    @Test
    void theReadmeNamesTheBuildsVersions() throws Exception {
        Map<String, String> versions = rootProperties();
        String jacksonMinor = versions.get("jackson.version").replaceAll("^(\\d+\\.\\d+).*", "$1");
        String prose = section(readme(), "## Use it in your project").replaceAll("(?s)```.*?```", "");

        assertThat(prose).contains("JUnit " + versions.get("junit-baseline.version"))
                .contains("JUnit " + versions.get("junit5.version")).contains("Jackson 2 (" + jacksonMinor)
                .contains("fabric8 " + versions.get("fabric8.version"))
                .contains("official client " + versions.get("client-java.version"));
    }

    @Test
    void theFabric8FirstProjectHasTheSameDependenciesInTheOtherOrder() throws Exception {
        List<String> readmeOrder = dependencies(USER_PROJECT.resolve("pom.xml"));
        List<String> otherOrder = dependencies(Path.of("src/it/user-project-fabric8-first/pom.xml"));

        assertThat(otherOrder).containsExactlyInAnyOrderElementsOf(readmeOrder);
        assertThat(readmeOrder.get(0)).startsWith("dev.drydock:");
        assertThat(otherOrder.get(0)).startsWith("io.fabric8:");
        assertThat(otherOrder.get(otherOrder.size() - 1)).startsWith("dev.drydock:");
    }

    @Test
    void ciRunsTheReadmesTestCommand() throws Exception {
        String firstScreen = codeBlocks(readme()).get(0).text;
        Matcher m = Pattern.compile("# 2\\. run the tests\\n(.+)\\n").matcher(firstScreen);
        assertThat(m.find()).as("the README's first block names the test command").isTrue();

        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        assertThat(ci.get(ci.size() - 1)).isEqualTo(m.group(1).strip());
    }

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    /** The text from {@code heading} to the next heading of the same level. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("README section %s", heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static List<CodeBlock> codeBlocks(String markdown) {
        List<CodeBlock> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```$", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.add(new CodeBlock(m.group(1), m.group(2)));
        }
        return blocks;
    }

    /** The pom as the invoker runs it: each {@code @name@} replaced by the root pom's property (or version). */
    private static String filtered(String pom) throws Exception {
        Map<String, String> properties = rootProperties();
        Matcher m = TOKEN.matcher(pom);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = properties.get(m.group(1));
            assertThat(value).as("root pom property %s", m.group(1)).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> rootProperties() throws Exception {
        Element project = parse(ROOT.resolve("pom.xml"));
        Map<String, String> properties = new HashMap<>();
        for (Element p : children(child(project, "properties"))) {
            properties.put(p.getTagName(), p.getTextContent().strip());
        }
        properties.put("project.version", child(project, "version").getTextContent().strip());
        return properties;
    }

    /** groupId:artifactId of each dependency, in the pom's order. */
    private static List<String> dependencies(Path pom) throws Exception {
        return children(child(parse(pom), "dependencies")).stream()
                .map(d -> child(d, "groupId").getTextContent() + ":" + child(d, "artifactId").getTextContent())
                .collect(Collectors.toList());
    }

    private static Element parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">"));
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }

    private static List<String> strippedLines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
    }

    private static final class CodeBlock {
        final String language;
        final String text;

        CodeBlock(String language, String text) {
            this.language = language;
            this.text = text;
        }
    }
}
