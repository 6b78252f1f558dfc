#include "support/TestCa.h"

#include <fstream>
#include <stdexcept>

#include "support/Process.h"

namespace s2m::test {

namespace {

void run_tool(const std::filesystem::path& dir, std::vector<std::string> argv) {
    Process process(ProcessOptions{.argv = argv, .log_file = dir / "tls-tools.log"});
    auto code = process.wait_exit(std::chrono::seconds(30));
    if (code != 0) {
        throw std::runtime_error("`" + argv[0] + " " + argv[1] + "` failed:\n" + process.log());
    }
}

const std::vector<std::string> kNewKey = {"-newkey", "ec", "-pkeyopt",
                                          "ec_paramgen_curve:prime256v1", "-nodes"};

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

}  // namespace

TestCa::TestCa(std::filesystem::path dir, std::string name) : dir_(std::move(dir)) {
    ca_ = {dir_ / (name + ".crt"), dir_ / (name + ".key")};
    run_tool(dir_, with(with({"openssl", "req", "-x509"}, kNewKey),
                        {"-keyout", ca_.key.string(), "-out", ca_.cert.string(), "-days", "2",
                         "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
                         "-addext", "keyUsage=critical,keyCertSign,cRLSign"}));
}

CertificatePair TestCa::issue(const std::string& name, const std::string& subject_alt_names) const {
    CertificatePair pair{dir_ / (name + ".crt"), dir_ / (name + ".key")};
    std::filesystem::path request = dir_ / (name + ".csr");
    std::filesystem::path extensions = dir_ / (name + ".ext");
    std::ofstream(extensions) << "subjectAltName=" << subject_alt_names
                              << "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
    run_tool(dir_,
             with(with({"openssl", "req"}, kNewKey), {"-keyout", pair.key.string(), "-out",
                                                      request.string(), "-subj", "/CN=" + name}));
    run_tool(dir_, {"openssl", "x509", "-req", "-in", request.string(), "-CA", ca_.cert.string(),
                    "-CAkey", ca_.key.string(), "-CAcreateserial", "-out", pair.cert.string(),
                    "-days", "2", "-extfile", extensions.string()});
    return pair;
}

std::filesystem::path write_mosquitto_password_file(const std::filesystem::path& file,
                                                    const std::string& user,
                                                    const std::string& password) {
    run_tool(file.parent_path(), {"mosquitto_passwd", "-b", "-c", file.string(), user, password});
    return file;
}

}  // namespace s2m::test
