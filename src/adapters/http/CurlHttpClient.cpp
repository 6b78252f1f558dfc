#include "adapters/http/CurlHttpClient.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "core/Encoding.h"

namespace s2m {

namespace {

struct Exchange {
    HttpResponse response;
    size_t max_body = 0;
    bool too_big = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    size_t bytes = size * count;
    if (exchange->response.body.size() + bytes > exchange->max_body) {
        exchange->too_big = true;
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    exchange->response.body.append(data, bytes);
    return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    std::string line(data, size * count);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = ascii_lowercase(line.substr(0, colon));
        std::string value = line.substr(colon + 1);
        auto first = value.find_first_not_of(" \t");
        auto last = value.find_last_not_of(" \t\r\n");
        value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
        exchange->response.headers[name] = value;
    }
    return size * count;
}

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

CurlHttpClient::CurlHttpClient(CurlOptions options)
    : options_(std::move(options)), handle_(curl_easy_init()) {}

CurlHttpClient::~CurlHttpClient() {
    if (handle_) curl_easy_cleanup(handle_);
}

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
    if (!handle_) return Error{ErrorKind::Internal, "libcurl could not create a handle"};
    // Reset drops per-request options but keeps the connection cache, which is what we reuse.
    curl_easy_reset(handle_);
    Exchange exchange;
    exchange.max_body = options_.max_body_bytes;

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    for (const auto& [name, value] : request.headers) {
        std::string line = name + ": " + value;
        headers.reset(curl_slist_append(headers.release(), line.c_str()));
    }
    // Spotify wants a Content-Length on PUT/POST even without a body.
    if (request.method != "GET" && request.body.empty()) {
        headers.reset(curl_slist_append(headers.release(), "Content-Length: 0"));
    }

    curl_easy_setopt(handle_, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, request.timeout_ms);
    curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle_, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(handle_, CURLOPT_USERAGENT, "spotify2mqtt/" SPOTIFY2MQTT_VERSION);
    // Certificate and host name are always verified (curl's defaults, set so no reader has to
    // know that); ca_file only replaces the CAs trusted, it never turns verification off.
    curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(handle_, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
    if (options_.ca_file) curl_easy_setopt(handle_, CURLOPT_CAINFO, options_.ca_file->c_str());
    // curl's own sentence ("SSL certificate problem: unable to get local issuer certificate")
    // says more than the error code's; it names hosts and ports, never our headers or bodies.
    char error_text[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(handle_, CURLOPT_HEADERDATA, &exchange);
    if (request.method == "GET") {
        curl_easy_setopt(handle_, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    }

    CURLcode code = curl_easy_perform(handle_);
    curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, nullptr);  // error_text ends with this call
    if (exchange.too_big) {
        return Error{ErrorKind::BadResponse, "the answer was larger than " +
                                                 std::to_string(options_.max_body_bytes) +
                                                 " bytes and was dropped"};
    }
    if (code != CURLE_OK) {
        return Error{ErrorKind::Network, error_text[0] ? error_text : curl_easy_strerror(code)};
    }
    long status = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
    exchange.response.status = static_cast<int>(status);
    return std::move(exchange.response);
}

}  // namespace s2m
