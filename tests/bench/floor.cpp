// crm_bench_floor: the floors that crm's budgets are ratios to (DESIGN.md section 7).
//
//   crm_bench_floor stat-walk DIR       lstat every record file: the bare freshness floor
//   crm_bench_floor parse-yaml DIR      the same walk + yaml-cpp parse of every file
//   crm_bench_floor write-files DIR N   N small files, each by temp file + rename()
//
// Each prints one number, the count of files it handled, on stdout. The walk and
// the parse are the least any implementation must do, so they use plain POSIX
// calls and nothing crm-specific.

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "crm_bench_floor: %s: %s\n", what.c_str(), std::strerror(errno));
    std::exit(1);
}

bool ends_with_yaml(std::string_view name) {
    return name.size() > 5 && name.substr(name.size() - 5) == ".yaml";
}

// Walks the directory open as `fd` (path `path`, used for messages and for the
// yaml-cpp parse), calling on_file(path, st) for every regular *.yaml file and
// descending into subdirectories. At the top level only subdirectories count
// (record folders) and .crm and .git are skipped, as crm's own walk must.
template <class OnFile>
void walk(int fd, std::string& path, bool top, OnFile& on_file) {
    DIR* dir = fdopendir(fd);
    if (dir == nullptr) die("opendir " + path);
    const std::size_t base_len = path.size();
    while (const dirent* e = readdir(dir)) {
        std::string_view name = e->d_name;
        if (name == "." || name == "..") continue;
        if (top && (name == ".crm" || name == ".git")) continue;
        bool is_dir = e->d_type == DT_DIR;
        bool is_yaml = ends_with_yaml(name);
        // d_type tells directories apart without a stat; only file systems that
        // leave it DT_UNKNOWN cost an extra fstatat here.
        if (e->d_type == DT_UNKNOWN || (is_yaml && !top)) {
            struct stat st;
            if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                die("stat " + path + "/" + std::string(name));
            is_dir = S_ISDIR(st.st_mode);
            if (!top && is_yaml && S_ISREG(st.st_mode)) {
                path.append("/").append(name);
                on_file(path, st);
                path.resize(base_len);
                continue;
            }
        }
        if (is_dir) {
            int sub = openat(dirfd(dir), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) die("open " + path + "/" + std::string(name));
            path.append("/").append(name);
            walk(sub, path, false, on_file);
            path.resize(base_len);
        }
    }
    closedir(dir);  // also closes fd
}

template <class OnFile>
void walk_workspace(const char* root, OnFile on_file) {
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) die(std::string("open ") + root);
    std::string path = root;
    walk(fd, path, true, on_file);
}

int stat_walk(const char* root) {
    unsigned long count = 0;
    walk_workspace(root, [&](const std::string&, const struct stat&) { ++count; });
    std::printf("%lu\n", count);
    return 0;
}

int parse_yaml(const char* root) {
    unsigned long count = 0;
    walk_workspace(root, [&](const std::string& path, const struct stat&) {
        YAML::Node node = YAML::LoadFile(path);
        // Reading one key proves the document was parsed into a usable map.
        YAML::Node id = node["id"];
        if (!id.IsScalar() || id.Scalar().empty()) {
            std::fprintf(stderr, "crm_bench_floor: %s: no id\n", path.c_str());
            std::exit(1);
        }
        ++count;
    });
    std::printf("%lu\n", count);
    return 0;
}

// No fsync, on purpose: this floor is the cost of creating files through the
// kernel's page cache. crm's own writes are timed as they are, so any fsync
// crm does is part of what it is measured against this floor.
int write_files(const char* dir_path, unsigned long n) {
    if (mkdir(dir_path, 0777) != 0 && errno != EEXIST) die(std::string("mkdir ") + dir_path);
    int dfd = open(dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) die(std::string("open ") + dir_path);

    // About the size of a generated contact file (250-450 bytes).
    std::string body;
    char name[64];
    char tmp[80];
    for (unsigned long i = 0; i < n; ++i) {
        std::snprintf(name, sizeof name, "floor-%07lu.yaml", i);
        std::snprintf(tmp, sizeof tmp, ".%s.tmp", name);
        body.assign("id: ").append(name, std::strlen(name) - 5).append("\n");
        body.append("name: Floor Record\nemails:\n  - address: floor@example.org\n    label: work\n");
        body.append("phones:\n  - number: \"+40 722 123 456\"\n    e164: \"+40722123456\"\n");
        body.append("    label: mobile\ncity: Cluj-Napoca\ncountry: RO\nstage: customer\n");
        body.append("tags:\n  - vip\ncreated: 2026-01-05T10:00:00+02:00\n");
        body.append("updated: 2026-01-05T10:00:00+02:00\n");

        int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0) die(std::string("create ") + tmp);
        const char* p = body.data();
        std::size_t left = body.size();
        while (left > 0) {
            ssize_t w = write(fd, p, left);
            if (w < 0) {
                if (errno == EINTR) continue;
                die(std::string("write ") + tmp);
            }
            p += w;
            left -= static_cast<std::size_t>(w);
        }
        if (close(fd) != 0) die(std::string("close ") + tmp);
        if (renameat(dfd, tmp, dfd, name) != 0) die(std::string("rename ") + tmp);
    }
    close(dfd);
    std::printf("%lu\n", n);
    return 0;
}

int usage() {
    std::fputs("usage: crm_bench_floor stat-walk DIR\n"
               "       crm_bench_floor parse-yaml DIR\n"
               "       crm_bench_floor write-files DIR N\n",
               stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) return usage();
    std::string_view cmd = argv[1];
    try {
        if (cmd == "stat-walk" && argc == 3) return stat_walk(argv[2]);
        if (cmd == "parse-yaml" && argc == 3) return parse_yaml(argv[2]);
        if (cmd == "write-files" && argc == 4) {
            std::string_view s = argv[3];
            unsigned long n = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
            if (ec != std::errc() || end != s.data() + s.size()) return usage();
            return write_files(argv[2], n);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "crm_bench_floor: %s\n", e.what());
        return 1;
    }
    return usage();
}
