// Every class of bad spec gets its own message naming the stage, op and parameter.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "test_ops.hpp"

using nlohmann::json;

namespace {

std::string error_of(const json& spec) {
  const auto registry = test_ops::registry();
  try {
    augment::Pipeline::from_json(spec, registry);
  } catch (const augment::SpecError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string stage_error(const json& stage) {
  return error_of({{"kind", "features"}, {"stages", json::array({stage})}});
}

}  // namespace

TEST_CASE("top-level spec errors") {
  CHECK(error_of(json::array()) == "pipeline: expected a JSON object, got []");
  CHECK(error_of({{"stages", json::array()}}).find("pipeline: \"kind\" is required") == 0);
  CHECK(error_of({{"kind", "pictures"}}) ==
        "pipeline: unknown kind 'pictures' (known: features, image, audio, spectrogram, text, tokens, video)");
  CHECK(error_of({{"kind", "features"}, {"stagse", json::array()}}) ==
        "pipeline: unknown key 'stagse' (did you mean 'stages'?; known: kind, stages, name, description, columns)");
  CHECK(error_of({{"kind", "features"}, {"stages", 3}}) == "pipeline: \"stages\" must be a list, got 3");
}

TEST_CASE("stage form errors") {
  CHECK(stage_error(5) == "stage 0: expected an object with \"op\", \"one_of\", \"some_of\" or \"sequence\", got 5");
  CHECK(stage_error({{"op", "add"}, {"one_of", json::array()}}).find(
            "stage 0: a stage needs exactly one of \"op\", \"one_of\", \"some_of\", \"sequence\"") == 0);
  CHECK(stage_error({{"op", 3}}) == "stage 0: \"op\" must be a string, got 3");
  CHECK(stage_error({{"op", "ad"}}) ==
        "stage 0: unknown op 'ad' (did you mean 'add'?); `augment list` shows them all");
  CHECK(stage_error({{"op", "zzzzzz"}}) == "stage 0: unknown op 'zzzzzz'; `augment list` shows them all");
}

TEST_CASE("parameter errors name stage, op and parameter") {
  CHECK(stage_error({{"op", "add"}, {"valeu", 1}}) ==
        "stage 0 (add): unknown parameter 'valeu' (did you mean 'value'?; known: value)");
  CHECK(stage_error({{"op", "jitter"}, {"zzz", 1}}) == "stage 0 (jitter): unknown parameter 'zzz' (known: amount)");
  CHECK(stage_error({{"op", "center"}, {"x", 1}}) == "stage 0 (center): unknown parameter 'x' (it takes none)");
  CHECK(stage_error({{"op", "add"}, {"value", 400}}) == "stage 0 (add): value must be in [-100, 100], got 400");
  CHECK(stage_error({{"op", "add"}, {"value", "big"}}) == "stage 0 (add): value must be a number, got \"big\"");
  CHECK(stage_error({{"op", "add"}, {"value", json::array({1, 2})}}) ==
        "stage 0 (add): value takes a single value, not a range; got [1,2]");
  CHECK(stage_error({{"op", "jitter"}, {"amount", json::array({2, 1})}}) ==
        "stage 0 (jitter): amount range must have lo <= hi, got [2,1]");
  CHECK(stage_error({{"op", "jitter"}, {"amount", json::array({1, 2, 3})}}) ==
        "stage 0 (jitter): amount range must be [lo, hi], got [1,2,3]");
  CHECK(stage_error({{"op", "jitter"}, {"amount", json::array({-1, 2})}}) ==
        "stage 0 (jitter): amount range low must be in [0, inf], got -1");
  CHECK(stage_error({{"op", "count"}, {"times", 2.5}}) == "stage 0 (count): times must be a whole number, got 2.5");
  CHECK(stage_error({{"op", "count"}, {"mode", "medium"}}) ==
        "stage 0 (count): mode must be one of fast, slow; got \"medium\"");
  CHECK(stage_error({{"op", "count"}, {"flag", 1}}) == "stage 0 (count): flag must be true or false, got 1");
  CHECK(stage_error({{"op", "count"}, {"weights", json::array({1, -2})}}) ==
        "stage 0 (count): weights [1] must be in [0, inf], got -2");
  CHECK(stage_error({{"op", "add"}, {"p", 1.5}}) == "stage 0 (add): p must be a number in [0, 1], got 1.5");
  CHECK(stage_error({{"op", "add"}, {"state", {{"mean", json::array({1})}}}}) ==
        "stage 0 (add): has no fitted state, but \"state\" is given");
  CHECK(stage_error({{"op", "center"}, {"state", {{"average", 1}}}}) ==
        "stage 0 (center): bad state: state needs a list \"mean\"");
}

TEST_CASE("composition errors") {
  CHECK(stage_error({{"one_of", json::array()}}) == "stage 0 (one_of): expected a non-empty list of stages, got []");
  const json two = json::array({{{"op", "add"}}, {{"op", "jitter"}}});
  CHECK(stage_error({{"one_of", two}, {"weights", json::array({1})}}) ==
        "stage 0 (one_of): weights must be a list of 2 numbers, got [1]");
  CHECK(stage_error({{"one_of", two}, {"weights", json::array({1, -1})}}) ==
        "stage 0 (one_of): weights must be finite numbers >= 0, got [1,-1]");
  CHECK(stage_error({{"one_of", two}, {"weights", json::array({0, 0})}}) == "stage 0 (one_of): weights must not all be 0");
  CHECK(stage_error({{"one_of", two}, {"wieghts", json::array({0, 0})}}) ==
        "stage 0 (one_of): unknown key 'wieghts' (did you mean 'weights'?; known: one_of, weights, p)");
  CHECK(stage_error({{"some_of", two}, {"n", 3}}) == "stage 0 (some_of): n must be in [0, 2], got 3");
  CHECK(stage_error({{"one_of", json::array({{{"op", "add"}}, {{"op", "bogus"}}})}}).find("stage 0.1: unknown op 'bogus'") == 0);
  CHECK(stage_error({{"sequence", json::array({{{"op", "add"}, {"value", 1000}}})}}) ==
        "stage 0.0 (add): value must be in [-100, 100], got 1000");
}

TEST_CASE("kinds must chain") {
  const json spec = {{"kind", "features"},
                     {"stages", json::array({{{"op", "add"}}, {{"op", "to_text"}}, {{"op", "add"}}})}};
  CHECK(error_of(spec) == "stage 2 (add): takes features, but receives text (from stage 1 (to_text))");
  CHECK(error_of({{"kind", "image"}, {"stages", json::array({{{"op", "add"}}})}}) ==
        "stage 0 (add): takes features, but receives image (the pipeline's input kind)");
  CHECK(stage_error({{"op", "to_text"}, {"p", 0.5}}) ==
        "stage 0 (to_text): p < 1 on a stage that turns features into text; when skipped the kinds would not chain");
  CHECK(stage_error({{"one_of", json::array({{{"op", "add"}}, {{"op", "to_text"}}})}}) ==
        "stage 0.1 (to_text): takes features and gives text, but stage 0.0 (add) takes features and gives features; "
        "the choices of stage 0 (one_of) must agree");
  CHECK(stage_error({{"some_of", json::array({{{"op", "add"}}, {{"op", "to_text"}}})}}) ==
        "stage 0.1 (to_text): some_of choices must keep the kind (features in, text out), since any subset of them may run");
}

TEST_CASE("spec files: unreadable and invalid JSON name the file") {
  const auto registry = test_ops::registry();
  const auto dir = std::filesystem::temp_directory_path() / ("augment-spec-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto bad = dir / "bad.json";
  std::ofstream(bad) << "{\"kind\": \"features\",\n \"stages\": [}\n";
  try {
    augment::Pipeline::load(bad, registry);
    FAIL("no error");
  } catch (const augment::SpecError& e) {
    const std::string m = e.what();
    CHECK(m.find(bad.string() + ": not valid JSON:") == 0);
    CHECK(m.find("line 2") != std::string::npos);
  }
  const auto unknown = dir / "unknown.json";
  std::ofstream(unknown) << R"({"kind": "features", "stages": [{"op": "nope"}]})";
  CHECK_THROWS_WITH_AS(augment::Pipeline::load(unknown, registry),
                       (unknown.string() + ": stage 0: unknown op 'nope'; `augment list` shows them all").c_str(),
                       augment::SpecError);
  CHECK_THROWS_WITH_AS(augment::Pipeline::load(dir / "missing.json", registry),
                       ((dir / "missing.json").string() + ": cannot open pipeline spec: No such file or directory").c_str(),
                       augment::SpecError);
  CHECK_THROWS_WITH_AS(augment::Pipeline::load(dir, registry), (dir.string() + ": is a folder, not a pipeline spec").c_str(),
                       augment::SpecError);
  std::filesystem::remove_all(dir);
}
