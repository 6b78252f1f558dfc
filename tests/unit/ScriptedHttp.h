// A scripted HttpClient (the narrow port) for job tests: answers in order, checks each URL.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ports/HttpClient.h"

namespace s2m::test {

struct ScriptedHttp : HttpClient {
    struct Answer {
        std::string expect_path;  // the request URL must contain this
        int status;
        std::string body;
        std::map<std::string, std::string> headers;
    };
    std::deque<Answer> script;
    std::vector<HttpRequest> seen;
    std::function<void()> on_send;  // e.g. advance a fake clock as if the request took time

    Result<HttpResponse> send(const HttpRequest& request) override {
        seen.push_back(request);
        if (on_send) on_send();
        if (script.empty()) return Error{ErrorKind::Network, "unexpected request " + request.url};
        Answer answer = script.front();
        script.pop_front();
        if (request.url.find(answer.expect_path) == std::string::npos) {
            return Error{ErrorKind::Network,
                         "expected " + answer.expect_path + ", got " + request.url};
        }
        if (answer.status == 0) return Error{ErrorKind::Network, "Timeout was reached"};
        return HttpResponse{answer.status, answer.headers, answer.body};
    }
    std::string header(size_t i, const std::string& name) const {
        for (const auto& [k, v] : seen.at(i).headers) {
            if (k == name) return v;
        }
        return "";
    }
};

}  // namespace s2m::test
