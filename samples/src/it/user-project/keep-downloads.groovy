// Keeps in ~/.m2 what a build of the user project downloaded from Maven Central into target/it-repo, as a build
// that used ~/.m2 would have, so that the next one finds it there (see ../settings.xml), offline too. Copies only what
// came from Central (never drydock's own artifacts), and only files ~/.m2 does not have. Run by verify.groovy.

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption

Path itRepo = localRepositoryPath.toPath()
Path outer = Path.of(outerLocalRepository)
Files.walk(itRepo).withCloseable { paths ->
    paths.filter { it.fileName.toString() == '_remote.repositories' }.forEach { Path tracking ->
        def fromCentral = Files.readAllLines(tracking).findAll { it.endsWith('>central=') }
        if (fromCentral.isEmpty()) {
            return
        }
        Path dir = outer.resolve(itRepo.relativize(tracking.parent).toString())
        Files.createDirectories(dir)
        fromCentral.each { line ->
            String name = line.substring(0, line.indexOf('>'))
            [name, name + '.sha1'].each { f ->
                Path from = tracking.resolveSibling(f)
                if (Files.exists(from) && !Files.exists(dir.resolve(f))) {
                    Path part = Files.createTempFile(dir, f, '.part')
                    Files.copy(from, part, StandardCopyOption.REPLACE_EXISTING)
                    Files.move(part, dir.resolve(f), StandardCopyOption.ATOMIC_MOVE)
                }
            }
        }
        Path outerTracking = dir.resolve('_remote.repositories')
        def missing = fromCentral - (Files.exists(outerTracking) ? Files.readAllLines(outerTracking) : [])
        if (missing) {
            Files.write(outerTracking, missing, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
        }
    }
}
