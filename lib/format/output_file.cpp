#include "format/output_file.hpp"

#include <exception>
#include <filesystem>
#include <ostream>
#include <streambuf>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::format {
namespace {

// A stream buffer over an AtomicFile. A failed write is kept and reported by
// check(): std::ostream swallows what a buffer throws.
class AtomicFileBuffer : public std::streambuf {
public:
  explicit AtomicFileBuffer(fs::AtomicFile& file) : file_(file), buffer_(64 * 1024) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

  // Rethrows the first failed write; Error(io) when the stream failed otherwise.
  void check(const std::ostream& stream) const {
    if (failure_) std::rethrow_exception(failure_);
    if (!stream.good())
      throw Error(ErrorKind::io, fmt::format("cannot write '{}'", file_.target().string()));
  }

protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }

  int sync() override { return drain() ? 0 : -1; }

private:
  bool drain() {
    if (failure_) return false;
    try {
      file_.write(std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())));
    } catch (...) {
      failure_ = std::current_exception();
      return false;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }

  fs::AtomicFile& file_;
  std::vector<char> buffer_;
  std::exception_ptr failure_;
};

fs::AtomicFile open_file(const std::string& path) {
  namespace stdfs = std::filesystem;
  const stdfs::path target(path);
  std::error_code ec;
  if (stdfs::is_directory(target, ec))
    throw Error(ErrorKind::io, fmt::format("cannot write '{}': it is a directory", path));
  // AtomicFile would create missing folders; a mistyped one is more likely.
  if (const auto folder = target.parent_path(); !folder.empty() && !stdfs::is_directory(folder, ec))
    throw Error(ErrorKind::io, fmt::format("cannot write '{}': no folder '{}'", path, folder.string()));
  return fs::AtomicFile(target);
}

} // namespace

struct OutputFile::File {
  explicit File(const std::string& path) : file(open_file(path)), buffer(file), stream(&buffer) {}
  fs::AtomicFile file;
  AtomicFileBuffer buffer;
  std::ostream stream;
};

OutputFile::OutputFile(const std::string& path, std::ostream& out) : out_(out) {
  if (!path.empty() && path != "-") file_ = std::make_unique<File>(path);
}

OutputFile::~OutputFile() = default;

std::ostream& OutputFile::stream() { return file_ ? file_->stream : out_; }

void OutputFile::commit() {
  if (!file_) {
    out_.flush();
    return;
  }
  file_->stream.flush();
  file_->buffer.check(file_->stream);
  file_->file.commit();
}

void write_output(const std::string& path, std::ostream& out, const std::function<void(std::ostream&)>& write) {
  OutputFile output(path, out);
  write(output.stream());
  output.commit();
}

} // namespace crm::format
