// Runs after the builds of the user project (see invoker.properties). A build whose test failed has already failed
// the invoker; this checks what a passing build does not show: that its test ran, on the user's own JUnit, with one
// Jackson. junitVersion, junit5Version and outerLocalRepository come from samples/pom.xml (scriptVariables);
// ../user-project-fabric8-first sets `builds` to its own and runs this script.

evaluate(new File(basedir, '../user-project/keep-downloads.groovy'))

def versionOf = { String jar -> (jar =~ /-([0-9][^\/]*)\.jar$/)[0][1] }
if (!binding.hasVariable('builds')) {
    builds = [junit6: junitVersion, junit5: junit5Version] // report suffix -> JUnit version, as in invoker.properties
}
builds.each { suffix, junit ->
    def reports = (new File(basedir, 'target/surefire-reports').listFiles() ?: [])
            .findAll { it.name ==~ /TEST-.*-${suffix}\.xml/ }
    assert reports : "no surefire report of the ${suffix} build: no test ran (see ${basedir}/build.log)"
    reports.each { report ->
        def suite = new groovy.xml.XmlSlurper().parse(report)
        int tests = suite.@tests.toInteger()
        assert tests > 0 : "${report.name}: 0 tests ran (see ${basedir}/build.log)"
        def problems = suite.testcase.'*'.findAll { it.name() in ['failure', 'error', 'skipped'] }
                .collect { "${it.parent().@name}: ${it.name()} ${it.@type} ${it.@message}" }
        assert problems.isEmpty() : "${report.name}: ${problems.join('; ')} (see ${basedir}/build.log)"

        def classPath = suite.properties.property.find { it.@name == 'surefire.test.class.path' }.@value.toString()
                .split(File.pathSeparator) as List
        // The user's JUnit, not one chosen by drydock.
        def jupiterApi = classPath.findAll { it =~ /junit-jupiter-api-[^\/]*\.jar$/ }
        assert jupiterApi.size() == 1 && versionOf(jupiterApi[0]) == junit :
                "${report.name}: expected junit-jupiter-api ${junit}, found ${jupiterApi}"
        // One Jackson: every Jackson 2 jar of one version (jackson-annotations carries only major.minor since 2.20).
        def jackson = classPath.findAll { it.contains('/com/fasterxml/jackson/') }
        def annotations = jackson.findAll { it.contains('/jackson-annotations/') }
        def versions = (jackson - annotations).collect(versionOf) as Set
        assert versions.size() == 1 : "${report.name}: Jackson versions are mixed: ${jackson}"
        String version = versions.first()
        assert annotations.every { versionOf(it) in [version, version.tokenize('.').take(2).join('.')] } :
                "${report.name}: jackson-annotations does not match Jackson ${version}: ${annotations}"
        // One Netty, the user's (fabric8's): drydock's is relocated inside harness-core, never on the class path.
        def netty = classPath.findAll { it.contains('/io/netty/') && !it.contains('/netty-tcnative') }
        assert (netty.collect(versionOf) as Set).size() <= 1 : "${report.name}: Netty versions are mixed: ${netty}"
        def core = classPath.find { it =~ /harness-core-[^\/]*\.jar$/ }
        assert core && new java.util.zip.ZipFile(core).withCloseable { z -> !z.entries().any { it.name.startsWith('io/netty/') } } :
                "${report.name}: harness-core (${core}) carries Netty unrelocated"
        println "${basedir.name}/${report.name}: ${tests} test(s) passed on junit-jupiter-api ${junit} " +
                "with Jackson ${version} (${jackson.size()} jars)"
    }
}
return true
