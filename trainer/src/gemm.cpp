#include "gemm.hpp"

#include <algorithm>
#include <cassert>

#ifdef AUGMENT_TRAINER_OPENBLAS
#include <cblas.h>
#endif

namespace augment::trainer::detail {
namespace {

#ifdef AUGMENT_TRAINER_OPENBLAS
// Once, before the first product; openblas_set_num_threads is process-wide.
void single_thread_once() {
  static const bool done = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)done;
}

CBLAS_TRANSPOSE cblas_op(Op op) { return op == Op::none ? CblasNoTrans : CblasTrans; }

void blas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k, float alpha,
               const float* a, blasint lda, const float* b, blasint ldb, float beta, float* c, blasint ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void blas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k, double alpha,
               const double* a, blasint lda, const double* b, blasint ldb, double beta, double* c, blasint ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
#endif

}  // namespace

template <class T>
void gemm(Op op_a, Op op_b, T alpha, const Matrix<T>& a, const Matrix<T>& b, T beta, Matrix<T>& c) {
  const auto m = op_a == Op::none ? a.rows() : a.cols();
  const auto k = op_a == Op::none ? a.cols() : a.rows();
  const auto n = op_b == Op::none ? b.cols() : b.rows();
  assert(c.rows() == m && c.cols() == n && (op_b == Op::none ? b.rows() : b.cols()) == k);
  if (m == 0 || n == 0) return;
#ifdef AUGMENT_TRAINER_OPENBLAS
  single_thread_once();
  // Row-major leading dimensions are the column counts; an empty k still scales C by β.
  blas_gemm(cblas_op(op_a), cblas_op(op_b), static_cast<blasint>(m), static_cast<blasint>(n),
            static_cast<blasint>(k), alpha, a.data(), static_cast<blasint>(std::max<Eigen::Index>(a.cols(), 1)),
            b.data(), static_cast<blasint>(std::max<Eigen::Index>(b.cols(), 1)), beta, c.data(),
            static_cast<blasint>(c.cols()));
#else
  if (beta == T(0)) c.setZero();
  else if (beta != T(1)) c *= beta;
  if (op_a == Op::none && op_b == Op::none) c.noalias() += alpha * a * b;
  else if (op_a == Op::transpose && op_b == Op::none) c.noalias() += alpha * a.transpose() * b;
  else if (op_a == Op::none) c.noalias() += alpha * a * b.transpose();
  else c.noalias() += alpha * a.transpose() * b.transpose();
#endif
}

template void gemm<float>(Op, Op, float, const Matrix<float>&, const Matrix<float>&, float, Matrix<float>&);
template void gemm<double>(Op, Op, double, const Matrix<double>&, const Matrix<double>&, double, Matrix<double>&);

}  // namespace augment::trainer::detail
