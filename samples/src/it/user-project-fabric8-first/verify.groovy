// The checks of ../user-project/verify.groovy, for the one build of this project (see invoker.properties).
builds = [junit5: junit5Version]
evaluate(new File(basedir, '../user-project/verify.groovy'))
