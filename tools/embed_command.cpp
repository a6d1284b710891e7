// augment embed: train word vectors (Word2Vec), query them (neighbours, analogies) and score
// them on analogy questions.
#include <unistd.h>

#include <cstdio>
#include <iomanip>
#include <iostream>

#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/embed/analogy_eval.hpp"
#include "augment/embed/word2vec.hpp"
#include "cli_common.hpp"

namespace augment::cli {
namespace po = boost::program_options;
namespace {

embed::AnalogyMethod parse_method(const std::string& name) {
  if (name == "add") return embed::AnalogyMethod::add;
  if (name == "mul") return embed::AnalogyMethod::mul;
  throw UsageError("--method must be add (3CosAdd) or mul (3CosMul), got '" + name + "'");
}

// .bin → binary, anything else → text, unless --format says.
embed::VectorFormat output_format(const std::string& format, const std::string& output) {
  if (format == "text") return embed::VectorFormat::text;
  if (format == "binary") return embed::VectorFormat::binary;
  if (!format.empty()) throw UsageError("--format must be text or binary, got '" + format + "'");
  return lower_extension(output) == ".bin" ? embed::VectorFormat::binary : embed::VectorFormat::text;
}

std::size_t positive(int value, const char* option, int minimum = 1) {
  if (value < minimum)
    throw UsageError(std::string("--") + option + " must be >= " + std::to_string(minimum) + ", got " +
                     std::to_string(value));
  return static_cast<std::size_t>(value);
}

int train(const std::vector<std::string>& args) {
  std::string input, output, model = "skipgram", format;
  int dims = 100, window = 5, negative = 5, min_count = 5, epochs = 5, threads = 1;
  double sample = 1e-3, alpha = -1;
  std::uint64_t seed = 1;
  bool keep_case = false, quiet = false;
  po::options_description options("options");
  options.add_options()
      ("input", po::value(&input)->required(), "UTF-8 corpus, one sentence per line")
      ("output", po::value(&output)->required(), "vectors file (word2vec format)")
      ("format", po::value(&format), "text or binary (default: binary for .bin, else text)")
      ("model", po::value(&model)->default_value("skipgram"), "skipgram or cbow")
      ("dims", po::value(&dims)->default_value(100), "vector size")
      ("window", po::value(&window)->default_value(5), "max distance between a word and its context")
      ("negative", po::value(&negative)->default_value(5), "negative samples per positive")
      ("min-count", po::value(&min_count)->default_value(5), "drop words seen fewer times")
      ("sample", po::value(&sample)->default_value(1e-3), "subsampling threshold of frequent words (0: none)")
      ("alpha", po::value(&alpha), "starting learning rate (default 0.025 skip-gram, 0.05 CBOW)")
      ("epochs", po::value(&epochs)->default_value(5), "passes over the corpus")
      ("threads", po::value(&threads)->default_value(1), "worker threads (0: all cores); only 1 is bit-reproducible")
      ("seed", po::value(&seed)->default_value(1), "seed of the initial vectors and the samplers")
      ("keep-case", po::bool_switch(&keep_case), "do not lower-case the words")
      ("quiet,q", po::bool_switch(&quiet), "no progress or summary");
  po::variables_map vm;
  if (!parse("embed train", "--input CORPUS.txt --output VECTORS.{txt,bin} [options]", options, args, vm)) return ok;
  embed::Word2VecOptions o;
  if (model == "skipgram") o.model = embed::Word2VecModel::skipgram;
  else if (model == "cbow") o.model = embed::Word2VecModel::cbow;
  else throw UsageError("--model must be skipgram or cbow, got '" + model + "'");
  o.dims = positive(dims, "dims");
  o.window = positive(window, "window");
  o.negative = positive(negative, "negative");
  o.min_count = positive(min_count, "min-count");
  o.epochs = positive(epochs, "epochs");
  o.threads = positive(threads, "threads", 0);
  if (!(sample >= 0)) throw UsageError("--sample must be >= 0");
  if (vm.count("alpha") && !(alpha > 0)) throw UsageError("--alpha must be > 0");
  o.sample = sample;
  o.alpha = vm.count("alpha") ? alpha : -1;
  o.seed = seed;
  o.lowercase = !keep_case;
  const embed::VectorFormat out_format = output_format(format, output);
  refuse_same_file(input, output, "the vectors would overwrite the corpus");

  const embed::Corpus corpus = embed::read_corpus(input, o);
  if (!quiet)
    std::cerr << "augment embed train: " << corpus.tokens_read << " words read, vocabulary " << corpus.words.size()
              << " (min-count " << o.min_count << ")\n";
  const bool live = !quiet && ::isatty(STDERR_FILENO);
  embed::TrainingSummary summary;
  const embed::Embeddings vectors =
      embed::train_word2vec(corpus, o, &summary, [&](const embed::TrainingProgress& p) {
        if (live)
          std::fprintf(stderr, "\repoch %zu/%zu  %5.1f%%  alpha %.5f  loss %.4f  %.0fk words/s/thread   ", p.epoch + 1,
                       o.epochs, 100 * p.fraction, p.alpha, p.loss, p.words_per_second / 1000);
      });
  if (live) std::fprintf(stderr, "\n");
  vectors.save(output, out_format);
  if (!quiet)
    std::cerr << "augment embed train: " << summary.trained_words << " words trained in " << std::fixed
              << std::setprecision(2) << summary.seconds << " s (" << std::setprecision(0)
              << summary.words_per_second_per_thread << " words/s/thread), final loss " << std::setprecision(4)
              << summary.final_loss << "; wrote " << vectors.size() << " × " << vectors.dims() << " to " << output
              << "\n";
  return ok;
}

int query(const std::vector<std::string>& args) {
  std::string vectors_path, method = "add";
  std::vector<std::string> words, analogy;
  int k = 10;
  po::options_description options("options");
  options.add_options()
      ("vectors", po::value(&vectors_path)->required(), "vectors file (word2vec text or binary)")
      ("word", po::value(&words)->multitoken(), "words whose nearest neighbours to list")
      ("analogy", po::value(&analogy)->multitoken(), "A B C: what is to C as B is to A")
      ("method", po::value(&method)->default_value("add"), "analogies: add (3CosAdd) or mul (3CosMul)")
      ("top,k", po::value(&k)->default_value(10), "answers per query");
  po::variables_map vm;
  if (!parse("embed query", "--vectors V (--word W... | --analogy A B C) [-k N]", options, args, vm)) return ok;
  const std::size_t count = positive(k, "k");
  if (words.empty() && analogy.empty()) throw UsageError("give --word W or --analogy A B C");
  if (!analogy.empty() && analogy.size() != 3)
    throw UsageError("--analogy takes three words (A B C), got " + std::to_string(analogy.size()));
  const embed::Embeddings vectors = embed::Embeddings::load(vectors_path);
  const auto print = [](const std::vector<embed::Neighbour>& answers) {
    for (const auto& n : answers) std::cout << "  " << std::fixed << std::setprecision(4) << n.similarity << "  " << n.word << "\n";
  };
  for (const auto& word : words) {
    std::cout << word << ":\n";
    print(vectors.nearest(word, count));
  }
  if (!analogy.empty()) {
    std::cout << analogy[0] << " : " << analogy[1] << " :: " << analogy[2] << " : ?\n";
    print(vectors.analogy(analogy[0], analogy[1], analogy[2], count, parse_method(method)));
  }
  return ok;
}

int evaluate(const std::vector<std::string>& args) {
  std::string vectors_path, questions, method = "add";
  int restrict_vocab = 0;
  po::options_description options("options");
  options.add_options()
      ("vectors", po::value(&vectors_path)->required(), "vectors file (word2vec text or binary)")
      ("questions", po::value(&questions)->required(), "analogy questions (word2vec's questions-words.txt format)")
      ("method", po::value(&method)->default_value("add"), "add (3CosAdd) or mul (3CosMul)")
      ("restrict-vocab", po::value(&restrict_vocab)->default_value(0), "answer from the N most frequent words only (0: all)");
  po::variables_map vm;
  if (!parse("embed evaluate", "--vectors V --questions Q.txt [options]", options, args, vm)) return ok;
  const embed::Embeddings vectors = embed::Embeddings::load(vectors_path);
  const embed::AnalogyReport report = embed::evaluate_analogies(
      vectors, questions, parse_method(method), positive(restrict_vocab, "restrict-vocab", 0));
  std::cout << "section,correct,asked,skipped,accuracy\n";
  for (const auto& s : report.sections)
    std::cout << s.name << "," << s.correct << "," << s.asked << "," << s.skipped << "," << std::fixed
              << std::setprecision(4) << s.accuracy() << "\n";
  const auto& t = report.total;
  std::cout << "total," << t.correct << "," << t.asked << "," << t.skipped << "," << std::fixed << std::setprecision(4)
            << t.accuracy() << "\n";
  return ok;
}

}  // namespace

int embed_command(const std::vector<std::string>& args) {
  static const char* const usage_text =
      "usage: augment embed <train|query|evaluate> [options]   (augment embed <sub> --help)\n"
      "  train      learn word vectors from a corpus (skip-gram or CBOW, negative sampling)\n"
      "  query      nearest neighbours of words, or analogies\n"
      "  evaluate   analogy accuracy per section of a questions file\n";
  if (args.empty() || args.front() == "--help" || args.front() == "-h") {
    (args.empty() ? std::cerr : std::cout) << usage_text;
    return args.empty() ? usage : ok;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args.front() == "train") return train(rest);
  if (args.front() == "query") return query(rest);
  if (args.front() == "evaluate") return evaluate(rest);
  throw UsageError("unknown embed command '" + args.front() + "' (train, query, evaluate)");
}

}  // namespace augment::cli
