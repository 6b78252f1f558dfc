// The token store for in-process bridge tests: records in a map, and a count of saves.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ports/TokenStore.h"

namespace s2m::test {

class MemoryTokenStore : public TokenStore {
  public:
    std::vector<AccountRecord> load_all() override {
        std::vector<AccountRecord> all;
        for (const auto& [name, record] : records) all.push_back(record);
        return all;
    }
    std::optional<AccountRecord> load(const std::string& name) override {
        auto it = records.find(name);
        if (it == records.end()) return std::nullopt;
        return it->second;
    }
    Status save(const AccountRecord& record) override {
        ++saves;
        records[record.name] = record;
        return ok_status();
    }
    Status remove(const std::string& name) override {
        records.erase(name);
        return ok_status();
    }

    std::map<std::string, AccountRecord> records;
    int saves = 0;
};

}  // namespace s2m::test
