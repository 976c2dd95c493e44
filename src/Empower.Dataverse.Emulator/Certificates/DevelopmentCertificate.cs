using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Empower.Dataverse.Emulator.Options;

namespace Empower.Dataverse.Emulator.Certificates;

/// <summary>
/// The self-signed certificate of the HTTPS listener (CN=localhost, SAN localhost and 127.0.0.1). Clients trust it by
/// pinning its thumbprint, never by accepting any certificate. Development use only.
/// </summary>
public static class DevelopmentCertificate
{
    public static X509Certificate2 LoadOrCreate(HttpsOptions options)
    {
        if (options.CertificatePath is { Length: > 0 } path && File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        }

        var certificate = Create();
        byte[] pfx = certificate.Export(X509ContentType.Pfx, options.CertificatePassword);
        if (options.CertificatePath is { Length: > 0 } savePath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(savePath))!);
            File.WriteAllBytes(savePath, pfx);
        }

        // Re-import so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pfx, options.CertificatePassword);
    }

    private static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost, O=Empower Dataverse Emulator (development only)", key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }
}
