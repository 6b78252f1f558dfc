// A throw-away certificate authority made with the openssl command line, for brokers that speak
// TLS in tests: a CA certificate to trust and server certificates it signs.
#pragma once

#include <filesystem>
#include <string>

namespace s2m::test {

struct CertificatePair {
    std::filesystem::path cert;
    std::filesystem::path key;
};

class TestCa {
  public:
    // Writes `<name>.key` / `<name>.crt` (P-256, valid two days) into `dir`.
    TestCa(std::filesystem::path dir, std::string name);

    const std::filesystem::path& cert() const { return ca_.cert; }

    // A server certificate signed by this CA for `subject_alt_names`, e.g.
    // "IP:127.0.0.1,DNS:localhost" (what clients compare the host they dialled with).
    CertificatePair issue(const std::string& name, const std::string& subject_alt_names) const;

  private:
    std::filesystem::path dir_;
    CertificatePair ca_;
};

// Runs `mosquitto_passwd` to write a password file with one user.
std::filesystem::path write_mosquitto_password_file(const std::filesystem::path& file,
                                                    const std::string& user,
                                                    const std::string& password);

}  // namespace s2m::test
